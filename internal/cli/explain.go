package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/api/explain"
	"github.com/meridian-gtm/meridian/internal/routing"
)

// maxExplainBytes bounds the explain endpoint's answer read by the CLI.
const maxExplainBytes = 8 << 20

// explainQuery runs "explain NAME TYPE [--client IP] [--subnet CIDR]": it
// asks the server's explain endpoint how it answers the query now and prints
// the decision. --client is the address of the resolver the query comes
// from (default: the server's simulated resolver); --subnet adds an EDNS
// Client Subnet option (CIDR, or an address for its /24 or /64).
func (r *Runner) explainQuery(ctx context.Context, in *invocation, args []string) error {
	name, typ := args[0], args[1]
	if _, ok := dns.IsDomainName(name); !ok {
		return usagef("%q is not a domain name", name)
	}
	if _, ok := explain.ParseType(typ); !ok {
		return usagef("%q is not a DNS record type", typ)
	}
	v := url.Values{"name": {name}, "type": {strings.ToUpper(typ)}}
	if c, ok := in.flag("client"); ok {
		if a, err := netip.ParseAddr(c); err != nil || a.Zone() != "" {
			return usagef("--client %q is not an IPv4 or IPv6 address", c)
		}
		v.Set("client", c)
	}
	if s, ok := in.flag("subnet"); ok {
		if _, err := explain.ParseSubnet(s); err != nil {
			return usagef("--subnet: %v", err)
		}
		v.Set("subnet", s)
	}
	resp, err := r.callExplain(ctx, v)
	if err != nil {
		return err
	}
	return renderExplanation(r.Stdout, resp)
}

// explainEndpoint is the server's explain endpoint.
var explainEndpoint = nativeEndpoint{name: "explain", path: explain.Path, service: explain.SigningService, maxBytes: maxExplainBytes}

// callExplain sends the signed GET with the Route 53 client's endpoint,
// credentials, region and HTTP client, and decodes the answer.
func (r *Runner) callExplain(ctx context.Context, v url.Values) (*explain.Response, error) {
	body, err := r.signedGet(ctx, explainEndpoint, v)
	if err != nil {
		return nil, err
	}
	var out explain.Response
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("GET %s: malformed answer: %w", explain.Path, err)
	}
	if out.Explanation == nil {
		return nil, fmt.Errorf("GET %s: the answer has no explanation", explain.Path)
	}
	return &out, nil
}

// renderExplanation prints the decision: the query, the client and where it
// is, each routing step with its candidates, the answer, the rcode and the
// ECS scope.
func renderExplanation(w io.Writer, resp *explain.Response) error {
	var b strings.Builder
	q, ex := resp.Query, resp.Explanation
	fmt.Fprintf(&b, "query     %s %s, from resolver %s over %s\n", q.Name, q.Type, q.Client, q.Protocol)
	if ex.ECS != nil {
		fmt.Fprintf(&b, "ecs       %s/%d sent in the query\n", ex.ECS.Address, ex.ECS.SourcePrefix)
	}
	fmt.Fprintf(&b, "client    %s\n", clientText(ex.Client))
	fmt.Fprintf(&b, "location  %s\n", locationText(ex.Location))
	zoneText := ex.Zone
	if zoneText == "" {
		zoneText = "none"
	}
	fmt.Fprintf(&b, "zone      %s (%s)\n", zoneText, ex.Outcome)
	for i, st := range ex.Steps {
		writeStep(&b, i+1, st)
	}
	b.WriteString("\nanswer\n")
	writeRecords(&b, resp.Reply.Answer)
	if len(resp.Reply.Authority) > 0 {
		b.WriteString("authority\n")
		writeRecords(&b, resp.Reply.Authority)
	}
	if len(resp.Reply.Additional) > 0 {
		b.WriteString("additional\n")
		writeRecords(&b, resp.Reply.Additional)
	}
	fmt.Fprintf(&b, "\nrcode     %s\n", resp.Reply.Rcode)
	fmt.Fprintf(&b, "scope     %s\n", scopeText(ex, resp.Reply.ECSScope))
	_, err := io.WriteString(w, b.String())
	return err
}

// clientText says which subnet the client was located from and why.
func clientText(c routing.ClientInfo) string {
	switch c.Source {
	case "ecs":
		return c.Subnet + " (from the query's EDNS client-subnet option)"
	case "resolver":
		return c.Subnet + " (the resolver's address: the query had no client-subnet option, or a /0 one)"
	}
	return "unknown (no client address)"
}

// locationText renders what the locator said.
func locationText(l *routing.LocationInfo) string {
	if l == nil {
		return "not looked up (no client location data, or no client address)"
	}
	var parts []string
	switch {
	case l.Country != "" && l.Subdivision != "":
		parts = append(parts, "country "+l.Country+", subdivision "+l.Subdivision)
	case l.Country != "":
		parts = append(parts, "country "+l.Country)
	}
	if l.Continent != "" {
		parts = append(parts, "continent "+l.Continent)
	}
	if l.Latitude != nil && l.Longitude != nil {
		parts = append(parts, fmt.Sprintf("at %.2f,%.2f", *l.Latitude, *l.Longitude))
	}
	if len(parts) == 0 {
		parts = append(parts, "unknown")
	}
	s := strings.Join(parts, ", ") + fmt.Sprintf("; holds for /%d; location source %s", l.Bits, l.Source)
	if !l.Used {
		s += " (not used by the decision)"
	}
	return s
}

// writeStep renders one routing decision with its candidates, marking the
// chosen ones with "*".
func writeStep(b *strings.Builder, n int, st routing.Step) {
	via := ""
	if st.Depth > 0 {
		via = fmt.Sprintf(", reached through %d alias(es)", st.Depth)
	}
	fmt.Fprintf(b, "\nstep %d    %s %s, %s routing%s\n", n, st.Name, st.Type, st.Policy, via)
	rows := make([][]string, 0, len(st.Candidates))
	for _, c := range st.Candidates {
		mark := " "
		for _, id := range st.Chosen {
			if id == c.SetIdentifier {
				mark = "*"
			}
		}
		id := c.SetIdentifier
		if id == "" {
			id = "(simple)"
		}
		rows = append(rows, []string{"  " + mark + " " + id, c.Attribute, healthText(c), strings.Join(candidateDetails(c), ", ")})
	}
	writeTable(b, rows)
	fmt.Fprintf(b, "  rule: %s\n", st.Rule)
	chosen := "nothing"
	if len(st.Chosen) > 0 {
		ids := make([]string, len(st.Chosen))
		for i, id := range st.Chosen {
			ids[i] = id
			if id == "" {
				ids[i] = "(simple)"
			}
		}
		chosen = strings.Join(ids, ", ")
	}
	fmt.Fprintf(b, "  chose: %s (status %s)\n", chosen, st.Status)
}

func healthText(c routing.Candidate) string {
	state := "healthy"
	if !c.Healthy {
		state = "UNHEALTHY"
	}
	return state + " (" + c.Health + ")"
}

// candidateDetails lists what the policy knew of a candidate: alias target,
// latency and its source, distances, match and rank.
func candidateDetails(c routing.Candidate) []string {
	var d []string
	if c.AliasTarget != "" {
		s := "alias to " + c.AliasTarget
		if c.EvaluateTargetHealth {
			s += " (evaluates target health)"
		}
		d = append(d, s)
	}
	if c.LatencySource != "" {
		rtt := "unknown"
		if c.RTTMillis != nil {
			rtt = strconv.FormatFloat(math.Round(*c.RTTMillis*10)/10, 'f', -1, 64) + " ms"
		}
		s := "latency " + rtt + " (latency source " + c.LatencySource
		if c.LatencyBits != nil {
			s += fmt.Sprintf(", holds for /%d", *c.LatencyBits)
		}
		d = append(d, s+")")
	}
	if c.DistanceKm != nil {
		s := fmt.Sprintf("distance %.0f km", *c.DistanceKm)
		if c.BiasedKm != nil {
			s += fmt.Sprintf(" (%.0f km after bias)", *c.BiasedKm)
		}
		d = append(d, s)
	}
	if c.Match != "" {
		d = append(d, "match "+c.Match)
	}
	if c.Rank > 0 {
		d = append(d, "rank "+strconv.Itoa(c.Rank))
	}
	return d
}

func writeRecords(b *strings.Builder, recs []explain.Record) {
	if len(recs) == 0 {
		b.WriteString("  (none)\n")
		return
	}
	rows := make([][]string, len(recs))
	for i, r := range recs {
		rows[i] = []string{"  " + r.Name, strconv.FormatUint(uint64(r.TTL), 10), r.Type, r.Data}
	}
	writeTable(b, rows)
}

// writeTable writes rows with aligned columns and no trailing blanks.
func writeTable(b *strings.Builder, rows [][]string) {
	var t strings.Builder
	tw := tabwriter.NewWriter(&t, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	_ = tw.Flush()
	for _, line := range strings.SplitAfter(t.String(), "\n") {
		if line != "" {
			b.WriteString(strings.TrimRight(line, " \n") + "\n")
		}
	}
}

// scopeText says over which subnet the answer holds and whether the scope
// was sent back in an ECS option.
func scopeText(ex *routing.Explanation, replyScope *uint8) string {
	s := fmt.Sprintf("/%d: ", ex.Scope)
	if ex.Scope == 0 {
		s += "the answer does not depend on the client's address"
	} else if p, err := netip.ParsePrefix(ex.Client.Subnet); err == nil {
		if held, err := p.Addr().Prefix(min(int(ex.Scope), p.Addr().BitLen())); err == nil {
			s += "the answer holds for every client in " + held.String()
		}
	} else {
		s += fmt.Sprintf("the answer holds for clients sharing the first %d bits", ex.Scope)
	}
	if replyScope != nil {
		return s + fmt.Sprintf("; returned as ECS scope /%d in the reply", *replyScope)
	}
	return s + "; no ECS option in the reply (the query had none)"
}
