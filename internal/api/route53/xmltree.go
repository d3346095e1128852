package route53

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/zone"
)

// Namespace is the XML namespace of every Route 53 request and response.
const Namespace = "https://route53.amazonaws.com/doc/2013-04-01/"

// maxXMLDepth bounds element nesting in request bodies; the deepest Route 53
// request (a change batch with coordinates) nests seven levels.
const maxXMLDepth = 32

// element is one parsed XML element: its local name, its character data and
// its child elements in document order.
type element struct {
	name     string
	text     strings.Builder
	children []*element
}

// schemaError returns an InvalidInput error worded like AWS's XML schema
// validation ("Invalid XML ; cvc-…").
func schemaError(format string, args ...any) error {
	return zone.InvalidInput("Invalid XML ; " + fmt.Sprintf(format, args...))
}

// parseDocument parses a request body whose root element must be root, in
// the Route 53 namespace or in none. It keeps only elements and text.
func parseDocument(body []byte, root string) (*element, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	var stack []*element
	var top *element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, schemaError("%s", err.Error())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != "" && t.Name.Space != Namespace {
				return nil, schemaError("cvc-elt.1.a: Cannot find the declaration of element '%s'.", t.Name.Local)
			}
			el := &element{name: t.Name.Local}
			if len(stack) == 0 {
				if top != nil {
					return nil, schemaError("The markup in the document following the root element must be well-formed.")
				}
				if el.name != root {
					return nil, schemaError("cvc-elt.1.a: Cannot find the declaration of element '%s'.", el.name)
				}
				top = el
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, el)
			}
			if len(stack) >= maxXMLDepth {
				return nil, schemaError("The document nests elements too deeply.")
			}
			stack = append(stack, el)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			} else if len(bytes.TrimSpace(t)) > 0 {
				if top != nil {
					return nil, schemaError("Content is not allowed in trailing section.")
				}
				return nil, schemaError("Content is not allowed in prolog.")
			}
		case xml.Directive:
			return nil, schemaError("DOCTYPE is disallowed.")
		}
	}
	if top == nil {
		return nil, schemaError("Premature end of file.")
	}
	return top, nil
}

// expected renders element names as Xerces lists them in "One of '{…}' is
// expected".
func expected(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = `"` + Namespace + `":` + n
	}
	return strings.Join(parts, ", ")
}

// complexType checks that el holds only elements (no text), each named in
// allowed and at most once, and returns them by name.
func (el *element) complexType(allowed ...string) (map[string]*element, error) {
	if strings.TrimSpace(el.text.String()) != "" {
		return nil, schemaError("cvc-complex-type.2.3: Element '%s' cannot have character [children], because the type's content type is element-only.", el.name)
	}
	out := make(map[string]*element, len(el.children))
	for _, c := range el.children {
		ok := false
		for _, a := range allowed {
			if c.name == a {
				ok = true
				break
			}
		}
		if !ok || out[c.name] != nil {
			return nil, schemaError("cvc-complex-type.2.4.a: Invalid content was found starting with element '%s'. One of '{%s}' is expected.",
				c.name, expected(allowed))
		}
		out[c.name] = c
	}
	return out, nil
}

// required returns the child named name of parent, or the schema error for
// its absence.
func required(parent *element, kids map[string]*element, name string) (*element, error) {
	if c := kids[name]; c != nil {
		return c, nil
	}
	return nil, schemaError("cvc-complex-type.2.4.b: The content of element '%s' is not complete. One of '{%s}' is expected.",
		parent.name, expected([]string{name}))
}

// list returns the items of a list wrapper: between min and max children,
// all named item.
func (el *element) list(item string, min, max int) ([]*element, error) {
	if strings.TrimSpace(el.text.String()) != "" {
		return nil, schemaError("cvc-complex-type.2.3: Element '%s' cannot have character [children], because the type's content type is element-only.", el.name)
	}
	for i, c := range el.children {
		if c.name != item {
			return nil, schemaError("cvc-complex-type.2.4.a: Invalid content was found starting with element '%s'. One of '{%s}' is expected.",
				c.name, expected([]string{item}))
		}
		if max > 0 && i >= max {
			return nil, schemaError("cvc-complex-type.2.4.d: Invalid content was found starting with element '%s'. No child element is expected at this point.", c.name)
		}
	}
	if len(el.children) < min {
		return nil, schemaError("cvc-complex-type.2.4.b: The content of element '%s' is not complete. One of '{%s}' is expected.",
			el.name, expected([]string{item}))
	}
	return el.children, nil
}

// leaf returns the text of a simple-typed element.
func (el *element) leaf() (string, error) {
	if len(el.children) > 0 {
		return "", schemaError("cvc-type.3.1.2: Element '%s' is a simple type, so it must have no element information item [children].", el.name)
	}
	return el.text.String(), nil
}

// nonEmpty returns a string leaf whose model type (named typ in the message)
// has a minimum length of 1. Package zone reads "" as "absent", so an empty
// element must be refused here.
func (el *element) nonEmpty(typ string) (string, error) {
	s, err := el.leaf()
	if err != nil {
		return "", err
	}
	if s == "" {
		return "", schemaError("cvc-minLength-valid: Value '' with length = '0' is not facet-valid with respect to minLength '1' for type '%s'.", typ)
	}
	return s, nil
}

// long returns an xs:long leaf. Ranges are package zone's to check.
func (el *element) long() (int64, error) {
	s, err := el.leaf()
	if err != nil {
		return 0, err
	}
	v, perr := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if perr != nil {
		return 0, schemaError("cvc-datatype-valid.1.2.1: '%s' is not a valid value for 'integer'.", s)
	}
	return v, nil
}

// boolean returns an xs:boolean leaf ("true", "false", "1" or "0").
func (el *element) boolean() (bool, error) {
	s, err := el.leaf()
	if err != nil {
		return false, err
	}
	switch strings.TrimSpace(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, schemaError("cvc-datatype-valid.1.2.1: '%s' is not a valid value for 'boolean'.", s)
}
