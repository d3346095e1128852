package globalaccel

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// DefaultAccount is the account ID in ARNs when the deployment configures
// none (the account the AWS documentation uses in its examples).
const DefaultAccount = "123456789012"

// DNSSuffix is the domain of accelerator DNS names.
const DNSSuffix = "awsglobalaccelerator.com"

// HostedZoneID is the Route 53 hosted zone ID of alias targets that name an
// accelerator (spec 5.1).
const HostedZoneID = "Z2BJ6XQ5FK7U4H"

const arnPrefix = "arn:aws:globalaccelerator::"

// Resource kinds an ARN can name.
const (
	KindAccelerator   = "accelerator"
	KindListener      = "listener"
	KindEndpointGroup = "endpoint-group"
)

// ARN is a parsed Global Accelerator ARN:
// arn:aws:globalaccelerator::<account>:accelerator/<uuid>[/listener/<8 hex>[/endpoint-group/<12 hex>]].
type ARN struct {
	Account         string
	AcceleratorID   string
	ListenerID      string // "" for an accelerator ARN
	EndpointGroupID string // "" unless an endpoint group ARN
}

// Kind returns which resource the ARN names.
func (a ARN) Kind() string {
	switch {
	case a.EndpointGroupID != "":
		return KindEndpointGroup
	case a.ListenerID != "":
		return KindListener
	default:
		return KindAccelerator
	}
}

// AcceleratorARN returns the ARN of the accelerator the ARN belongs to.
func (a ARN) AcceleratorARN() string { return AcceleratorARN(a.Account, a.AcceleratorID) }

// ListenerARN returns the ARN of the listener the ARN belongs to ("" for an
// accelerator ARN).
func (a ARN) ListenerARN() string {
	if a.ListenerID == "" {
		return ""
	}
	return ListenerARN(a.AcceleratorARN(), a.ListenerID)
}

// String formats the ARN.
func (a ARN) String() string {
	s := a.AcceleratorARN()
	if a.ListenerID != "" {
		s = ListenerARN(s, a.ListenerID)
		if a.EndpointGroupID != "" {
			s = EndpointGroupARN(s, a.EndpointGroupID)
		}
	}
	return s
}

// AcceleratorARN formats an accelerator ARN.
func AcceleratorARN(account, id string) string {
	return arnPrefix + account + ":accelerator/" + id
}

// ListenerARN formats a listener ARN under its accelerator's.
func ListenerARN(acceleratorARN, id string) string { return acceleratorARN + "/listener/" + id }

// EndpointGroupARN formats an endpoint group ARN under its listener's.
func EndpointGroupARN(listenerARN, id string) string { return listenerARN + "/endpoint-group/" + id }

// ParseARN parses a Global Accelerator ARN; a malformed one is an
// InvalidArgumentException naming the member it came from.
func ParseARN(member, s string) (ARN, error) {
	bad := func(why string) (ARN, error) {
		return ARN{}, InvalidArgument("%s %q is not a valid Global Accelerator ARN: %s (expected %saccount:accelerator/uuid[/listener/id[/endpoint-group/id]]).",
			member, s, why, arnPrefix)
	}
	if s == "" {
		return ARN{}, InvalidArgument("%s is required.", member)
	}
	rest, ok := strings.CutPrefix(s, arnPrefix)
	if !ok {
		return bad("it does not start with " + arnPrefix)
	}
	account, rest, ok := strings.Cut(rest, ":")
	if !ok || !isDigits(account, 12) {
		return bad("the account must be 12 digits")
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 2 && len(parts) != 4 && len(parts) != 6 {
		return bad("wrong number of path segments")
	}
	if parts[0] != "accelerator" || !isUUID(parts[1]) {
		return bad("the accelerator ID must be a lowercase UUID")
	}
	a := ARN{Account: account, AcceleratorID: parts[1]}
	if len(parts) >= 4 {
		if parts[2] != "listener" || !isHex(parts[3], 8) {
			return bad("the listener ID must be 8 lowercase hex digits")
		}
		a.ListenerID = parts[3]
	}
	if len(parts) == 6 {
		if parts[4] != "endpoint-group" || !isHex(parts[5], 12) {
			return bad("the endpoint group ID must be 12 lowercase hex digits")
		}
		a.EndpointGroupID = parts[5]
	}
	return a, nil
}

// ParseKind parses an ARN that must name a resource of the given kind.
func ParseKind(member, s, kind string) (ARN, error) {
	a, err := ParseARN(member, s)
	if err != nil {
		return ARN{}, err
	}
	if a.Kind() != kind {
		return ARN{}, InvalidArgument("%s %q names a%s %s, not a%s %s.", member, s, article(a.Kind()), a.Kind(), article(kind), kind)
	}
	return a, nil
}

func article(kind string) string {
	if kind == KindAccelerator || kind == KindEndpointGroup {
		return "n"
	}
	return ""
}

// NewUUID returns a random version 4 UUID, the ID of a new accelerator.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// NewHex returns n random lowercase hex digits (n even): listener IDs are 8,
// endpoint group IDs 12, DNS labels 16.
func NewHex(n int) string {
	b := make([]byte, n/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// NewDNSName returns a new accelerator DNS name, a<16 hex>.awsglobalaccelerator.com.
func NewDNSName() string { return "a" + NewHex(16) + "." + DNSSuffix }

// HealthCheckID is the deterministic ID of the synthetic health check that
// watches one endpoint of one endpoint group: "ga-" and the first 16 hex
// digits of SHA-256 over the group ARN, a NUL and the endpoint ID. It is
// stable across restarts and settings changes, differs per group (the same
// address in two groups is checked with each group's settings), and never
// collides with Route 53 health check IDs, which are UUIDs.
func HealthCheckID(groupARN, endpointID string) string {
	sum := sha256.Sum256([]byte(groupARN + "\x00" + endpointID))
	return "ga-" + hex.EncodeToString(sum[:8])
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isUUID(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 5 {
		return false
	}
	for i, n := range []int{8, 4, 4, 4, 12} {
		if !isHex(parts[i], n) {
			return false
		}
	}
	return true
}
