package portico

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Colour is an sRGB colour, for the portal's accent: the pages and the
// emails both need to know which text reads on it.
type Colour struct{ R, G, B uint8 }

// Black and White are the two text colours an accent may carry.
var (
	Black = Colour{0, 0, 0}
	White = Colour{255, 255, 255}
)

// ParseColour reads "#rrggbb" (the # optional).
func ParseColour(s string) (Colour, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return Colour{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return Colour{}, false
	}
	return Colour{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
}

// String is the colour as "#rrggbb".
func (c Colour) String() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Mix moves c towards d by t (0: c, 1: d).
func (c Colour) Mix(d Colour, t float64) Colour {
	m := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return Colour{m(c.R, d.R), m(c.G, d.G), m(c.B, d.B)}
}

// Luminance is the relative luminance of WCAG 2, from 0 (black) to 1.
func (c Colour) Luminance() float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// Contrast is the WCAG contrast ratio of two colours, from 1 to 21.
func Contrast(a, b Colour) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TextOn is black or white, whichever reads better on c. One of them
// always reaches 4.5:1, WCAG AA for text.
func TextOn(c Colour) Colour {
	if Contrast(c, White) >= Contrast(c, Black) {
		return White
	}
	return Black
}
