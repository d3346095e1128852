package snapshot

// maxWireLen is the longest wire-format domain name (RFC 1035).
const maxWireLen = 255

// maxLabelLen is the longest label (RFC 1035).
const maxLabelLen = 63

// WireName is a domain name in lowercase, uncompressed wire format together
// with the offsets of its labels. It lives in fixed arrays so that filling one
// needs no allocation; the zero value is not a valid name until one of the
// Set methods succeeds.
type WireName struct {
	buf  [maxWireLen]byte
	n    int // bytes used in buf, including the root byte
	offs [128]uint8
	nl   int // labels, not counting the root
}

// SetPresentation parses a name in miekg/dns presentation form: labels
// separated by dots, an optional trailing dot, "\DDD" decimal escapes and
// "\X" escapes for a literal X. Letters are folded to lowercase. It reports
// whether s is a valid name.
func (w *WireName) SetPresentation(s string) bool {
	w.n, w.nl = 0, 0
	if s == "" || s == "." {
		w.buf[0] = 0
		w.n = 1
		return true
	}
	labStart, pos, labLen := 0, 1, 0
	w.buf[0] = 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			if labLen == 0 || pos >= maxWireLen {
				return false
			}
			w.buf[labStart] = byte(labLen)
			w.offs[w.nl] = uint8(labStart)
			w.nl++
			labStart = pos
			w.buf[pos] = 0
			pos++
			labLen = 0
			continue
		}
		if c == '\\' {
			switch {
			case i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]):
				v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
				if v > 255 {
					return false
				}
				c = byte(v)
				i += 3
			case i+1 < len(s):
				i++
				c = s[i]
			default:
				return false
			}
		}
		if labLen == maxLabelLen || pos >= maxWireLen-1 {
			return false
		}
		w.buf[pos] = lower(c)
		pos++
		labLen++
	}
	if labLen > 0 {
		if pos >= maxWireLen {
			return false
		}
		w.buf[labStart] = byte(labLen)
		w.offs[w.nl] = uint8(labStart)
		w.nl++
		w.buf[pos] = 0
		pos++
	}
	w.n = pos
	return true
}

// SetWire copies an uncompressed wire-format name, folding letters to
// lowercase. It reports whether b holds exactly one valid name.
func (w *WireName) SetWire(b []byte) bool {
	w.n, w.nl = 0, 0
	if len(b) == 0 || len(b) > maxWireLen {
		return false
	}
	i := 0
	for {
		if i >= len(b) {
			return false
		}
		l := int(b[i])
		if l == 0 {
			w.buf[i] = 0
			w.n = i + 1
			return w.n == len(b)
		}
		if l > maxLabelLen || i+1+l >= len(b) || w.nl >= len(w.offs) {
			return false
		}
		w.offs[w.nl] = uint8(i)
		w.nl++
		w.buf[i] = byte(l)
		for j := i + 1; j <= i+l; j++ {
			w.buf[j] = lower(b[j])
		}
		i += 1 + l
	}
}

// Bytes returns the name in wire format. The slice aliases w.
func (w *WireName) Bytes() []byte { return w.buf[:w.n] }

// Labels returns the number of labels, not counting the root.
func (w *WireName) Labels() int { return w.nl }

// suffix returns the name with its i leftmost labels removed; suffix(Labels())
// is the root.
func (w *WireName) suffix(i int) []byte {
	if i >= w.nl {
		return w.buf[w.n-1 : w.n]
	}
	return w.buf[w.offs[i]:w.n]
}

// wireKey returns the wire form of raw lowercase labels, as used for map keys.
func wireKey(labels []string) string {
	n := 1
	for _, l := range labels {
		n += 1 + len(l)
	}
	return string(appendWireKey(make([]byte, 0, n), labels))
}

// appendWireKey appends the wire form of raw lowercase labels to b.
func appendWireKey(b []byte, labels []string) []byte {
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// LabelOffset returns where the name with its i leftmost labels removed
// starts within Bytes(); LabelOffset(Labels()) is the root byte.
func (w *WireName) LabelOffset(i int) int {
	if i >= w.nl {
		return w.n - 1
	}
	return int(w.offs[i])
}
