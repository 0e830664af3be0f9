package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A CPU profile of the server is taken while each endpoint is measured at
// the highest connection count, from Portico's own profiler
// (--pprof-addr), saved for `go tool pprof`, and summed up here so the
// results can say where the time goes.

// profileSummary is what the report shows of one profile.
type profileSummary struct {
	file     string        // where it was saved
	seconds  int           // asked for
	cpu      time.Duration // CPU time sampled
	portico  []share       // Portico's functions by cumulative time
	flat     []share       // any function by its own time
	captured string        // why there is none, when it failed
}

// share is a function's part of the CPU time.
type share struct {
	name     string
	fraction float64
}

// everyRequest is the cumulative share above which a Portico function is
// left out of the summary: the server, the middleware and the handler sit
// under (nearly) every sample and say nothing about where time goes.
const everyRequest = 0.9

// captureProfile asks the profiler for seconds of CPU profile, saves it to
// file and sums it up. It runs while the load is on.
func captureProfile(ctx context.Context, pprofBase string, seconds int, file string) *profileSummary {
	ps := &profileSummary{file: file, seconds: seconds}
	fail := func(err error) *profileSummary {
		ps.captured = err.Error()
		return ps
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pprofBase+"profile?seconds="+strconv.Itoa(seconds), nil)
	if err != nil {
		return fail(err)
	}
	client := &http.Client{Timeout: time.Duration(seconds)*time.Second + time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fail(err)
	}
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("profiler: %s: %.200s", resp.Status, b))
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fail(err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return fail(err)
	}
	p, err := parseProfile(b)
	if err != nil {
		return fail(fmt.Errorf("reading the profile: %w", err))
	}
	ps.cpu = time.Duration(p.total)
	ps.portico, ps.flat = p.summary(5)
	return ps
}

// profileFile names an endpoint's profile: DATA/profiles/ENGINE-ENDPOINT.pprof.
func profileFile(data, engine, endpoint string) string {
	name := strings.Trim(nonWord.ReplaceAllString(strings.ToLower(endpoint), "-"), "-")
	return filepath.Join(data, "profiles", engine+"-"+name+".pprof")
}

// cpuProfile is what we read of a pprof CPU profile: each sample's stack of
// function names, leaf first, with its CPU time in nanoseconds.
type cpuProfile struct {
	samples []stackSample
	total   int64
}

type stackSample struct {
	stack []string
	value int64
}

// summary returns the top n Portico functions by cumulative time (leaving
// out those under every request) and the top n of any package by their
// own time.
func (p *cpuProfile) summary(n int) (portico, flat []share) {
	if p.total == 0 {
		return nil, nil
	}
	cum, own := map[string]int64{}, map[string]int64{}
	var inPortico int64
	for _, s := range p.samples {
		if len(s.stack) == 0 {
			continue
		}
		own[s.stack[0]] += s.value
		seen := map[string]bool{}
		for _, f := range s.stack {
			if strings.HasPrefix(f, "portico/") && !seen[f] {
				seen[f] = true
				cum[f] += s.value
			}
		}
		if len(seen) > 0 {
			inPortico += s.value
		}
	}
	for f, v := range cum {
		if float64(v) >= everyRequest*float64(inPortico) {
			delete(cum, f)
		}
	}
	return top(cum, p.total, n), top(own, p.total, n)
}

func top(m map[string]int64, total int64, n int) []share {
	names := make([]string, 0, len(m))
	for f := range m {
		names = append(names, f)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out := []share{}
	for _, f := range names[:min(n, len(names))] {
		out = append(out, share{name: f, fraction: float64(m[f]) / float64(total)})
	}
	return out
}

// parseProfile reads a (gzipped) pprof profile: the protocol buffer of
// github.com/google/pprof/proto/profile.proto, of which it needs only the
// samples, locations, functions and strings. Hand-written so the benchmark
// needs no new module for a page of decoding.
func parseProfile(b []byte) (*cpuProfile, error) {
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var (
		types     []int64 // sample types' names, as string indexes
		samples   [][2][]uint64
		locations = map[uint64][]uint64{} // location → functions, innermost first
		functions = map[uint64]int64{}    // function → name, as a string index
		strs      []string
	)
	err := fields(b, func(num int, v uint64, data []byte) error {
		switch num {
		case 1: // sample_type
			return fields(data, func(num int, v uint64, _ []byte) error {
				if num == 1 {
					types = append(types, int64(v))
				}
				return nil
			})
		case 2: // sample: location_id = 1, value = 2
			var s [2][]uint64
			err := fields(data, func(num int, v uint64, data []byte) error {
				if num == 1 || num == 2 {
					if data != nil {
						vs, err := packed(data)
						s[num-1] = append(s[num-1], vs...)
						return err
					}
					s[num-1] = append(s[num-1], v)
				}
				return nil
			})
			samples = append(samples, s)
			return err
		case 4: // location: id = 1, line = 4 (function_id = 1)
			var id uint64
			var fns []uint64
			err := fields(data, func(num int, v uint64, data []byte) error {
				switch num {
				case 1:
					id = v
				case 4:
					return fields(data, func(num int, v uint64, _ []byte) error {
						if num == 1 {
							fns = append(fns, v)
						}
						return nil
					})
				}
				return nil
			})
			locations[id] = fns
			return err
		case 5: // function: id = 1, name = 2
			var id uint64
			var name int64
			err := fields(data, func(num int, v uint64, _ []byte) error {
				switch num {
				case 1:
					id = v
				case 2:
					name = int64(v)
				}
				return nil
			})
			functions[id] = name
			return err
		case 6: // string_table
			strs = append(strs, string(data))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The CPU time is the value whose type is "cpu" (Go writes samples/count
	// and cpu/nanoseconds); the last one otherwise.
	vi := len(types) - 1
	for i, t := range types {
		if t >= 0 && int(t) < len(strs) && strs[t] == "cpu" {
			vi = i
		}
	}
	name := func(fn uint64) string {
		if i, ok := functions[fn]; ok && i >= 0 && int(i) < len(strs) {
			return strs[i]
		}
		return "?"
	}
	p := &cpuProfile{}
	for _, s := range samples {
		if vi < 0 || vi >= len(s[1]) {
			continue
		}
		st := stackSample{value: int64(s[1][vi])}
		for _, loc := range s[0] {
			for _, fn := range locations[loc] {
				st.stack = append(st.stack, name(fn))
			}
		}
		p.samples = append(p.samples, st)
		p.total += st.value
	}
	return p, nil
}

var errProto = errors.New("malformed protocol buffer")

// fields calls f with each field of a protocol buffer message: its number,
// and its value (varint) or its bytes (length-delimited, else nil).
func fields(b []byte, f func(num int, v uint64, data []byte) error) error {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return errProto
		}
		b = b[n:]
		num := int(key >> 3)
		var v uint64
		var data []byte
		switch key & 7 {
		case 0:
			if v, n = binary.Uvarint(b); n <= 0 {
				return errProto
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errProto
			}
			v, b = binary.LittleEndian.Uint64(b), b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || uint64(len(b)-n) < l {
				return errProto
			}
			data, b = b[n:n+int(l)], b[n+int(l):]
			if data == nil {
				data = []byte{}
			}
		case 5:
			if len(b) < 4 {
				return errProto
			}
			v, b = uint64(binary.LittleEndian.Uint32(b)), b[4:]
		default:
			return errProto
		}
		if err := f(num, v, data); err != nil {
			return err
		}
	}
	return nil
}

// packed reads a packed repeated varint field.
func packed(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return nil, errProto
		}
		out, b = append(out, v), b[n:]
	}
	return out, nil
}
