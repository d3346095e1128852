package dnsserver

import (
	"net"
	"testing"

	"github.com/miekg/dns"
)

// fuzzSeeds are packed queries of many shapes.
func fuzzSeeds(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	add := func(m *dns.Msg) {
		b, err := m.Pack()
		if err != nil {
			t.Fatalf("pack seed: %v", err)
		}
		out = append(out, b)
	}
	for _, q := range []struct {
		name  string
		qtype uint16
	}{
		{"www.example.com.", dns.TypeA}, {"WwW.ExAmPlE.CoM.", dns.TypeAAAA}, {"x.wild.example.com.", dns.TypeA},
		{"cname.example.com.", dns.TypeMX}, {"www.sub.example.com.", dns.TypeA}, {"sub.example.com.", dns.TypeDS},
		{"big.example.com.", dns.TypeTXT}, {"lat.example.com.", dns.TypeANY}, {"example.org.", dns.TypeA},
		{"geo.example.com.", dns.TypeA}, {"ip.example.com.", dns.TypeA}, {"tree.example.com.", dns.TypeA},
		{"nope.example.com.", dns.TypeA}, {"example.com.", dns.TypeAXFR},
		{"example.com.", dns.TypeMX}, {"_sip._tcp.example.com.", dns.TypeSRV}, {"cname.example.com.", dns.TypeA},
	} {
		m := new(dns.Msg)
		m.SetQuestion(q.name, q.qtype)
		add(m)
		m.SetEdns0(1232, true)
		add(m)
		m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.ParseIP("203.0.113.0")}}
		add(m)
	}
	out = append(out, []byte{}, []byte{0, 1, 2}, make([]byte, 12), []byte("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01"))
	return out
}

// FuzzResolve feeds random bytes to the answer engine, both as an unpacked
// message to Resolve and as a raw packet to the handler; nothing may panic,
// every response must pack, unpack and respect the UDP limit, and the fast
// path must agree with the full path.
func FuzzResolve(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	snap := fixtureSnapshot(f)
	env := testEnv(testHealth("fo-primary", "mv2"))
	out := make([]byte, packBufSize)
	out2 := make([]byte, packBufSize)
	f.Fuzz(func(t *testing.T, data []byte) {
		req := new(dns.Msg)
		if req.Unpack(data) == nil {
			for _, proto := range []string{"udp", "tcp"} {
				r := Resolve(snap, env, req, testClient, proto)
				if r == nil || !r.Response {
					t.Fatalf("Resolve returned %v", r)
				}
				if _, err := r.Pack(); err != nil {
					t.Fatalf("%s response does not pack: %v\n%v", proto, err, r)
				}
			}
		}
		for _, udp := range []bool{true, false} {
			if fast, ok := fastAnswer(snap, env, data, testClient, udp, out2); ok {
				if err := sameResponse(fast, answerFull(snap, env, data, testClient, udp, out)); err != nil {
					t.Fatalf("fast path differs: %v", err)
				}
			}
			resp := answerPacket(snap, env, data, testClient, udp, out)
			if resp == nil {
				continue
			}
			if udp && len(resp) > maxUDPSize {
				t.Fatalf("UDP response of %d bytes", len(resp))
			}
			r := new(dns.Msg)
			if err := r.Unpack(resp); err != nil {
				t.Fatalf("response does not unpack: %v", err)
			}
			if !r.Response || r.Id != uint16(data[0])<<8|uint16(data[1]) {
				t.Fatalf("bad response header: %v", r.MsgHdr)
			}
		}
	})
}
