package route53

import (
	"context"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	r53 "github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"

	"github.com/meridian-gtm/meridian/internal/api/explain"
	"github.com/meridian-gtm/meridian/internal/auth"
	"github.com/meridian-gtm/meridian/internal/control"
	"github.com/meridian-gtm/meridian/internal/dnsserver"
	"github.com/meridian-gtm/meridian/internal/geo"
	"github.com/meridian-gtm/meridian/internal/latency"
	"github.com/meridian-gtm/meridian/internal/routing"
	"github.com/meridian-gtm/meridian/internal/snapshot"
	"github.com/meridian-gtm/meridian/internal/store/boltstore"
)

// servingEnv is a Route 53 API server whose TestDNSAnswer runs on a real
// serving path: control plane on bbolt, the snapshot publisher following
// the store, and the routing environment from declared tables.
type servingEnv struct {
	*testEnv
	holder *snapshot.Holder
	env    *routing.Env
}

func newServingEnv(t *testing.T) *servingEnv {
	t.Helper()
	st, err := boltstore.Open(filepath.Join(t.TempDir(), "meridian.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	holder := snapshot.NewHolder()
	pub := &control.Publisher{Store: st, Holder: holder, Logger: slog.New(slog.DiscardHandler)}
	ctx, cancel := context.WithCancel(context.Background())
	if err := pub.Init(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = pub.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	env := declaredEnv(t)
	engine := &explain.Engine{Snapshots: holder, Env: routing.NewEnvHolder(env)}
	e := &testEnv{store: st}
	e.svc = control.New(control.Config{Store: st, Snapshots: holder})
	e.srv = httptest.NewServer(NewHandler(e.svc, auth.Credentials{testKeyID: testSecret}, slog.New(slog.DiscardHandler), engine, nil))
	t.Cleanup(e.srv.Close)
	e.client = e.newClient(testKeyID, testSecret, nil)
	return &servingEnv{testEnv: e, holder: holder, env: env}
}

// declaredEnv locates clients and ranks regions from declared tables only.
// The default simulated resolver's block is declared in Virginia, near
// us-east-1.
func declaredEnv(t *testing.T) *routing.Env {
	t.Helper()
	f := func(v float64) *float64 { return &v }
	p := netip.MustParsePrefix
	locs, err := geo.Compile([]geo.DeclaredLocation{
		{Prefix: p("192.0.2.0/24"), Country: "US", Latitude: f(38.9), Longitude: f(-77.4)},
		{Prefix: p("203.0.113.0/24"), Country: "US", Subdivision: "CA", Latitude: f(37.4), Longitude: f(-122)},
		{Prefix: p("203.0.113.128/25"), Country: "JP", Latitude: f(35.7), Longitude: f(139.7)},
		{Prefix: p("198.51.100.0/24"), Country: "DE", Latitude: f(50.1), Longitude: f(8.7)},
		{Prefix: p("3.80.0.0/12"), Country: "US", Latitude: f(39), Longitude: f(-77.5)},
		{Prefix: p("2001:db8:1::/48"), Country: "DE", Latitude: f(50.1), Longitude: f(8.7)},
	}, "")
	if err != nil {
		t.Fatalf("geo: %v", err)
	}
	d := func(prefix, region string, ms float64) latency.Declared {
		return latency.Declared{Prefix: p(prefix), Region: region, Millis: ms}
	}
	lat, err := latency.Compile(latency.Config{
		Declared: []latency.Declared{
			d("192.0.2.0/24", "us-east-1", 5), d("192.0.2.0/24", "eu-west-1", 80),
			d("203.0.113.0/24", "us-east-1", 60), d("203.0.113.0/24", "eu-west-1", 140),
			d("198.51.100.0/24", "us-east-1", 90), d("198.51.100.0/24", "eu-west-1", 20),
			d("3.80.0.0/12", "us-east-1", 2), d("3.80.0.0/12", "eu-west-1", 75),
			d("2001:db8:1::/48", "us-east-1", 100), d("2001:db8:1::/48", "eu-west-1", 10),
		},
		DefaultOrder: []string{"us-east-1", "eu-west-1"},
	})
	if err != nil {
		t.Fatalf("latency: %v", err)
	}
	return &routing.Env{Locator: locs, Latency: lat, Regions: lat}
}

// changeSynced applies changes and waits until the serving snapshot holds
// them.
func (e *servingEnv) changeSynced(t *testing.T, zoneID string, changes ...types.Change) {
	t.Helper()
	ci := e.change(t, zoneID, changes...)
	deadline := time.Now().Add(5 * time.Second)
	for {
		out, err := e.client.GetChange(context.Background(), &r53.GetChangeInput{Id: ci.Id})
		if err != nil {
			t.Fatalf("get change: %v", err)
		}
		if out.ChangeInfo.Status == types.ChangeStatusInsync {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("change %s never INSYNC", aws.ToString(ci.Id))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func rrset(name string, typ types.RRType, values ...string) *types.ResourceRecordSet {
	rrs := make([]types.ResourceRecord, len(values))
	for i, v := range values {
		rrs[i] = types.ResourceRecord{Value: aws.String(v)}
	}
	return &types.ResourceRecordSet{Name: aws.String(name), Type: typ, TTL: aws.Int64(60), ResourceRecords: rrs}
}

func create(s *types.ResourceRecordSet) types.Change {
	return types.Change{Action: types.ChangeActionCreate, ResourceRecordSet: s}
}

func latencyRR(id, region, value string) types.Change {
	s := rrset("lat.example.com", types.RRTypeA, value)
	s.SetIdentifier, s.Region = aws.String(id), types.ResourceRecordSetRegion(region)
	return create(s)
}

func geoRR(id string, loc types.GeoLocation, value string) types.Change {
	s := rrset("geo.example.com", types.RRTypeA, value)
	s.SetIdentifier, s.GeoLocation = aws.String(id), &loc
	return create(s)
}

// routedZone creates example.com with latency, geolocation, CNAME, TXT and
// MX record sets and returns its ID.
func (e *servingEnv) routedZone(t *testing.T) string {
	t.Helper()
	id := e.createZone(t, "example.com", "routed")
	e.changeSynced(t, id,
		latencyRR("use1", "us-east-1", "192.0.2.111"),
		latencyRR("euw1", "eu-west-1", "192.0.2.112"),
		geoRR("ca", types.GeoLocation{CountryCode: aws.String("US"), SubdivisionCode: aws.String("CA")}, "192.0.2.121"),
		geoRR("us", types.GeoLocation{CountryCode: aws.String("US")}, "192.0.2.122"),
		geoRR("de", types.GeoLocation{CountryCode: aws.String("DE")}, "192.0.2.123"),
		geoRR("jp", types.GeoLocation{CountryCode: aws.String("JP")}, "192.0.2.124"),
		geoRR("default", types.GeoLocation{CountryCode: aws.String("*")}, "192.0.2.120"),
		create(rrset("www.example.com", types.RRTypeCname, "lat.example.com")),
		create(rrset("txt.example.com", types.RRTypeTxt, `"hello world"`, `"a\"b"`)),
		create(rrset("example.com", types.RRTypeMx, "10 mail.example.com")),
	)
	return id
}

// testDNS calls TestDNSAnswer through the SDK.
func (e *servingEnv) testDNS(t *testing.T, in *r53.TestDNSAnswerInput) *r53.TestDNSAnswerOutput {
	t.Helper()
	out, err := e.client.TestDNSAnswer(context.Background(), in)
	if err != nil {
		t.Fatalf("TestDNSAnswer %s %s: %v", aws.ToString(in.RecordName), in.RecordType, err)
	}
	return out
}

// resolveData is what dnsserver.Resolve answers on the serving snapshot for
// the same query, as sorted rdata strings.
func (e *servingEnv) resolveData(t *testing.T, name string, qtype uint16, resolver netip.Addr, subnet netip.Prefix) ([]string, string) {
	t.Helper()
	m := dnsserver.Resolve(e.holder.Load(), e.env, explain.NewQuery(name, qtype, subnet), resolver, "tcp")
	var out []string
	for _, rr := range m.Answer {
		out = append(out, recordData(rr))
	}
	slices.Sort(out)
	return out, dns.RcodeToString[m.Rcode]
}

func TestTestDNSAnswerRouting(t *testing.T) {
	e := newServingEnv(t)
	zoneID := e.routedZone(t)
	zi, err := e.svc.GetHostedZone(context.Background(), zoneID)
	if err != nil {
		t.Fatal(err)
	}
	def := netip.MustParseAddr(explain.DefaultResolverIP)
	tests := []struct {
		name, rtype    string
		resolver       string
		ecsIP, ecsMask string
		// what the answer engine is given, to compare with Resolve
		wantResolver netip.Addr
		wantSubnet   string
		want         []string
		wantRcode    string
	}{
		{name: "lat.example.com", rtype: "A", ecsIP: "203.0.113.7", wantResolver: def, wantSubnet: "203.0.113.0/24", want: []string{"192.0.2.111"}},
		{name: "lat.example.com", rtype: "A", ecsIP: "198.51.100.9", ecsMask: "24", wantResolver: def, wantSubnet: "198.51.100.0/24", want: []string{"192.0.2.112"}},
		{name: "lat.example.com", rtype: "A", ecsIP: "2001:db8:1::5", wantResolver: def, wantSubnet: "2001:db8:1::/64", want: []string{"192.0.2.112"}},
		{name: "lat.example.com", rtype: "A", wantResolver: def, want: []string{"192.0.2.111"}},
		{name: "lat.example.com.", rtype: "A", resolver: "198.51.100.53", wantResolver: netip.MustParseAddr("198.51.100.53"), want: []string{"192.0.2.112"}},
		{name: "lat.example.com", rtype: "A", resolver: "198.51.100.53", ecsIP: "192.0.2.1", wantResolver: netip.MustParseAddr("198.51.100.53"), wantSubnet: "192.0.2.0/24", want: []string{"192.0.2.111"}},
		{name: "lat.example.com", rtype: "A", resolver: "192.0.2.53", ecsIP: "198.51.100.9", ecsMask: "0", wantResolver: netip.MustParseAddr("192.0.2.53"), wantSubnet: "0.0.0.0/0", want: []string{"192.0.2.111"}},
		{name: "geo.example.com", rtype: "A", ecsIP: "203.0.113.200", ecsMask: "25", wantResolver: def, wantSubnet: "203.0.113.128/25", want: []string{"192.0.2.124"}},
		{name: "GEO.Example.COM", rtype: "A", ecsIP: "203.0.113.10", wantResolver: def, wantSubnet: "203.0.113.0/24", want: []string{"192.0.2.121"}},
		{name: "geo.example.com", rtype: "A", ecsIP: "198.51.100.1", ecsMask: "32", wantResolver: def, wantSubnet: "198.51.100.1/32", want: []string{"192.0.2.123"}},
		{name: "geo.example.com", rtype: "A", wantResolver: def, want: []string{"192.0.2.122"}},
		{name: "geo.example.com", rtype: "A", resolver: "2001:db8:1::53", wantResolver: netip.MustParseAddr("2001:db8:1::53"), want: []string{"192.0.2.123"}},
		{name: "geo.example.com", rtype: "A", resolver: "198.18.0.1", wantResolver: netip.MustParseAddr("198.18.0.1"), want: []string{"192.0.2.120"}},
		{name: "www.example.com", rtype: "A", wantResolver: def, want: []string{"lat.example.com."}},
		{name: "txt.example.com", rtype: "TXT", wantResolver: def, want: []string{`"a\"b"`, `"hello world"`}},
		{name: "example.com", rtype: "MX", wantResolver: def, want: []string{"10 mail.example.com."}},
		{name: "lat.example.com", rtype: "AAAA", wantResolver: def, want: nil},
		{name: "nope.example.com", rtype: "A", wantResolver: def, want: nil, wantRcode: "NXDOMAIN"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s_%s_%s_%s/%s", tc.name, tc.rtype, tc.resolver, tc.ecsIP, tc.ecsMask), func(t *testing.T) {
			in := &r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String(tc.name), RecordType: types.RRType(tc.rtype)}
			if tc.resolver != "" {
				in.ResolverIP = aws.String(tc.resolver)
			}
			if tc.ecsIP != "" {
				in.EDNS0ClientSubnetIP = aws.String(tc.ecsIP)
			}
			if tc.ecsMask != "" {
				in.EDNS0ClientSubnetMask = aws.String(tc.ecsMask)
			}
			out := e.testDNS(t, in)
			got := slices.Clone(out.RecordData)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("RecordData = %q, want %q", got, tc.want)
			}
			wantRcode := tc.wantRcode
			if wantRcode == "" {
				wantRcode = "NOERROR"
			}
			if aws.ToString(out.ResponseCode) != wantRcode {
				t.Errorf("ResponseCode = %q, want %q", aws.ToString(out.ResponseCode), wantRcode)
			}
			if aws.ToString(out.Nameserver) != zi.NameServers[0] || aws.ToString(out.Protocol) != "UDP" ||
				aws.ToString(out.RecordName) != tc.name || string(out.RecordType) != tc.rtype {
				t.Errorf("Nameserver %q Protocol %q RecordName %q RecordType %q; want %q UDP %q %q",
					aws.ToString(out.Nameserver), aws.ToString(out.Protocol), aws.ToString(out.RecordName), out.RecordType,
					zi.NameServers[0], tc.name, tc.rtype)
			}
			var subnet netip.Prefix
			if tc.wantSubnet != "" {
				subnet = netip.MustParsePrefix(tc.wantSubnet)
			}
			labels := strings.ToLower(dns.Fqdn(tc.name))
			resolved, rcode := e.resolveData(t, labels, dns.StringToType[tc.rtype], tc.wantResolver, subnet)
			if !slices.Equal(got, resolved) || rcode != wantRcode {
				t.Errorf("TestDNSAnswer gave %q %s; dnsserver.Resolve gives %q %s", got, wantRcode, resolved, rcode)
			}
		})
	}
}

// TestTestDNSAnswerZoneSelection checks that the answer comes from the zone
// named by hostedzoneid, not from the zone the shared listeners serve.
func TestTestDNSAnswerZoneSelection(t *testing.T) {
	e := newServingEnv(t)
	first := e.routedZone(t)
	second := e.createZone(t, "example.com", "shadowed")
	e.changeSynced(t, second, create(rrset("lat.example.com", types.RRTypeA, "198.51.100.77")))
	child := e.createZone(t, "sub.example.com", "child")
	e.changeSynced(t, child, create(rrset("a.sub.example.com", types.RRTypeA, "192.0.2.200")))

	tests := []struct {
		zone, name string
		want       []string
		rcode      string
	}{
		{first, "lat.example.com", []string{"192.0.2.111"}, "NOERROR"},
		{second, "lat.example.com", []string{"198.51.100.77"}, "NOERROR"},
		{"/hostedzone/" + second, "lat.example.com", []string{"198.51.100.77"}, "NOERROR"},
		{child, "a.sub.example.com", []string{"192.0.2.200"}, "NOERROR"},
		{first, "a.sub.example.com", nil, "NXDOMAIN"},
		{first, "www.example.org", nil, "REFUSED"},
	}
	for _, tc := range tests {
		out := e.testDNS(t, &r53.TestDNSAnswerInput{HostedZoneId: aws.String(tc.zone), RecordName: aws.String(tc.name), RecordType: types.RRTypeA})
		if !slices.Equal(out.RecordData, tc.want) || aws.ToString(out.ResponseCode) != tc.rcode {
			t.Errorf("zone %s %s: %q %s, want %q %s", tc.zone, tc.name, out.RecordData, aws.ToString(out.ResponseCode), tc.want, tc.rcode)
		}
	}
	// The shared listeners serve the first zone.
	resolved, _ := e.resolveData(t, "lat.example.com.", dns.TypeA, netip.MustParseAddr(explain.DefaultResolverIP), netip.Prefix{})
	if !slices.Equal(resolved, []string{"192.0.2.111"}) {
		t.Errorf("listeners answer %q, want the first zone's 192.0.2.111", resolved)
	}
}

// TestTestDNSAnswerTCP checks that an answer too large for UDP is given
// over TCP, as a resolver would retry.
func TestTestDNSAnswerTCP(t *testing.T) {
	e := newServingEnv(t)
	id := e.createZone(t, "example.com", "big")
	var values []string
	for i := range 30 {
		values = append(values, fmt.Sprintf(`"%02d%s"`, i, strings.Repeat("x", 200)))
	}
	e.changeSynced(t, id, create(rrset("big.example.com", types.RRTypeTxt, values...)))
	out := e.testDNS(t, &r53.TestDNSAnswerInput{HostedZoneId: aws.String(id), RecordName: aws.String("big.example.com"), RecordType: types.RRTypeTxt})
	if aws.ToString(out.Protocol) != "TCP" || len(out.RecordData) != len(values) {
		t.Fatalf("Protocol %q with %d entries, want TCP with %d", aws.ToString(out.Protocol), len(out.RecordData), len(values))
	}
	got := slices.Clone(out.RecordData)
	slices.Sort(got)
	if !slices.Equal(got, values) {
		t.Errorf("RecordData = %q", got)
	}
}

func TestTestDNSAnswerErrors(t *testing.T) {
	e := newServingEnv(t)
	zoneID := e.createZone(t, "example.com", "errors")
	tests := []struct {
		name    string
		in      r53.TestDNSAnswerInput
		code    string
		status  int
		message string
	}{
		{"unknown zone", r53.TestDNSAnswerInput{HostedZoneId: aws.String("ZNOSUCHZONE"), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA},
			"NoSuchHostedZone", http.StatusNotFound, "No hosted zone found with ID: ZNOSUCHZONE"},
		{"bad type", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: "BOGUS"},
			"InvalidInput", http.StatusBadRequest, ""},
		{"lowercase type", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: "a"},
			"InvalidInput", http.StatusBadRequest, ""},
		{"bad name", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a..example.com"), RecordType: types.RRTypeA},
			"InvalidInput", http.StatusBadRequest, "Invalid record name 'a..example.com': Domain label is empty"},
		{"bad resolver", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, ResolverIP: aws.String("300.1.1.1")},
			"InvalidInput", http.StatusBadRequest, "The resolver IP address '300.1.1.1' is not a valid IPv4 or IPv6 address."},
		{"bad subnet ip", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetIP: aws.String("192.0.2")},
			"InvalidInput", http.StatusBadRequest, ""},
		{"v4 mask too long", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetIP: aws.String("192.0.2.1"), EDNS0ClientSubnetMask: aws.String("33")},
			"InvalidInput", http.StatusBadRequest, "The EDNS0 client subnet mask '33' is not valid for the IPv4 address 192.0.2.1: specify a value between 0 and 32."},
		{"v6 mask too long", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetIP: aws.String("2001:db8::1"), EDNS0ClientSubnetMask: aws.String("129")},
			"InvalidInput", http.StatusBadRequest, "The EDNS0 client subnet mask '129' is not valid for the IPv6 address 2001:db8::1: specify a value between 0 and 128."},
		{"negative mask", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetIP: aws.String("192.0.2.1"), EDNS0ClientSubnetMask: aws.String("-1")},
			"InvalidInput", http.StatusBadRequest, ""},
		{"mask not a number", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetIP: aws.String("192.0.2.1"), EDNS0ClientSubnetMask: aws.String("x")},
			"InvalidInput", http.StatusBadRequest, ""},
		{"mask without ip", r53.TestDNSAnswerInput{HostedZoneId: aws.String(zoneID), RecordName: aws.String("a.example.com"), RecordType: types.RRTypeA, EDNS0ClientSubnetMask: aws.String("24")},
			"InvalidInput", http.StatusBadRequest, "An EDNS0 client subnet mask (edns0clientsubnetmask) requires an EDNS0 client subnet IP address (edns0clientsubnetip)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.client.TestDNSAnswer(context.Background(), &tc.in)
			expectAPIError(t, err, tc.code, tc.status, tc.message, nil)
		})
	}

	// Required parameters, which the SDK checks before sending.
	for _, q := range []struct{ query, member string }{
		{"recordname=a.example.com&recordtype=A", "hostedZoneId"},
		{"hostedzoneid=" + zoneID + "&recordtype=A", "recordName"},
		{"hostedzoneid=" + zoneID + "&recordname=a.example.com", "recordType"},
	} {
		resp, body := e.do(t, http.MethodGet, "/2013-04-01/testdnsanswer?"+q.query, nil)
		var doc struct {
			Code    string `xml:"Error>Code"`
			Message string `xml:"Error>Message"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v in %s", q.query, err, body)
		}
		want := "1 validation error detected: Value null at '" + q.member + "' failed to satisfy constraint: Member must not be null"
		if resp.StatusCode != http.StatusBadRequest || doc.Code != "InvalidInput" || doc.Message != want {
			t.Errorf("%s: %d %s %q, want 400 InvalidInput %q", q.query, resp.StatusCode, doc.Code, doc.Message, want)
		}
	}
}

// TestTestDNSAnswerUnavailable checks the answer of an API server that does
// not serve DNS.
func TestTestDNSAnswerUnavailable(t *testing.T) {
	e := newTestEnv(t)
	id := e.createZone(t, "example.com", "nodns")
	_, err := e.client.TestDNSAnswer(context.Background(), &r53.TestDNSAnswerInput{HostedZoneId: aws.String(id), RecordName: aws.String("example.com"), RecordType: types.RRTypeSoa})
	expectAPIError(t, err, "ServiceUnavailable", http.StatusServiceUnavailable, "", nil)
}
