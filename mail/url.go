package mail

// URL returns the absolute address of a path on the site, for what a
// template can't write: a header such as List-Unsubscribe.
func (c *Composer) URL(path string) string { return c.BaseURL + path }
