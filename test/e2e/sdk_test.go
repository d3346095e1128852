package e2e

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/miekg/dns"
)

func createZone(t *testing.T, c *route53.Client, name, ref string) string {
	t.Helper()
	out, err := c.CreateHostedZone(context.Background(), &route53.CreateHostedZoneInput{
		Name: aws.String(name), CallerReference: aws.String(ref),
	})
	if err != nil {
		t.Fatalf("CreateHostedZone %s: %v", name, err)
	}
	return aws.ToString(out.HostedZone.Id)
}

func changeAndWait(t *testing.T, c *route53.Client, zoneID string, changes ...types.Change) {
	t.Helper()
	ctx := context.Background()
	out, err := c.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zoneID), ChangeBatch: &types.ChangeBatch{Changes: changes},
	})
	if err != nil {
		t.Fatalf("ChangeResourceRecordSets: %v", err)
	}
	waitFor(t, 10*time.Second, "INSYNC", func() bool {
		g, err := c.GetChange(ctx, &route53.GetChangeInput{Id: out.ChangeInfo.Id})
		if err != nil {
			t.Fatalf("GetChange: %v", err)
		}
		return g.ChangeInfo.Status == types.ChangeStatusInsync
	})
}

func simple(action types.ChangeAction, name string, typ types.RRType, ttl int64, values ...string) types.Change {
	rrs := make([]types.ResourceRecord, len(values))
	for i, v := range values {
		rrs[i] = types.ResourceRecord{Value: aws.String(v)}
	}
	return types.Change{Action: action, ResourceRecordSet: &types.ResourceRecordSet{
		Name: aws.String(name), Type: typ, TTL: aws.Int64(ttl), ResourceRecords: rrs,
	}}
}

// TestSDKZoneToDNS drives the server with the aws-sdk-go-v2 client in a
// non-default region and checks that every INSYNC change is what DNS serves.
func TestSDKZoneToDNS(t *testing.T) {
	n := startNode(t, "")
	c := n.r53("eu-central-1")
	zoneID := createZone(t, c, "sdk.example", "sdk-1")
	changeAndWait(t, c, zoneID,
		simple(types.ChangeActionCreate, "www.sdk.example", types.RRTypeA, 60, "192.0.2.10", "192.0.2.11"),
		simple(types.ChangeActionCreate, "*.wild.sdk.example", types.RRTypeTxt, 60, `"wildcard"`),
		simple(types.ChangeActionCreate, "mail.sdk.example", types.RRTypeMx, 300, "10 mx.sdk.example"),
		simple(types.ChangeActionCreate, "mx.sdk.example", types.RRTypeA, 300, "192.0.2.25"),
	)

	tests := []struct {
		name    string
		qname   string
		qtype   uint16
		rcode   int
		answers int
		check   func(t *testing.T, r *dns.Msg)
	}{
		{name: "A with two values", qname: "www.sdk.example.", qtype: dns.TypeA, answers: 2},
		{name: "NODATA", qname: "www.sdk.example.", qtype: dns.TypeAAAA, check: func(t *testing.T, r *dns.Msg) {
			if len(r.Ns) != 1 || r.Ns[0].Header().Rrtype != dns.TypeSOA || r.Ns[0].Header().Ttl != 900 {
				t.Errorf("NODATA authority = %v", r.Ns)
			}
		}},
		{name: "NXDOMAIN", qname: "nope.sdk.example.", qtype: dns.TypeA, rcode: dns.RcodeNameError},
		{name: "wildcard", qname: "anything.wild.sdk.example.", qtype: dns.TypeTXT, answers: 1, check: func(t *testing.T, r *dns.Msg) {
			if r.Answer[0].Header().Name != "anything.wild.sdk.example." {
				t.Errorf("wildcard owner = %s", r.Answer[0].Header().Name)
			}
		}},
		{name: "MX with glue", qname: "mail.sdk.example.", qtype: dns.TypeMX, answers: 1, check: func(t *testing.T, r *dns.Msg) {
			found := false
			for _, rr := range r.Extra {
				if a, ok := rr.(*dns.A); ok && a.A.String() == "192.0.2.25" {
					found = true
				}
			}
			if !found {
				t.Errorf("additional lacks the MX target's address: %v", r.Extra)
			}
		}},
		{name: "outside our zones", qname: "example.org.", qtype: dns.TypeA, rcode: dns.RcodeRefused},
	}
	for _, proto := range []string{"udp", "tcp"} {
		for _, tt := range tests {
			t.Run(proto+"/"+tt.name, func(t *testing.T) {
				r := n.query(t, proto, tt.qname, tt.qtype)
				if r.Rcode != tt.rcode || len(r.Answer) != tt.answers {
					t.Fatalf("rcode %s answers %d, want %s %d:\n%v", dns.RcodeToString[r.Rcode], len(r.Answer), dns.RcodeToString[tt.rcode], tt.answers, r)
				}
				if tt.rcode != dns.RcodeRefused && !r.Authoritative {
					t.Errorf("AA not set")
				}
				if tt.check != nil {
					tt.check(t, r)
				}
			})
		}
	}

	// An UPSERT is visible as soon as GetChange says INSYNC.
	changeAndWait(t, c, zoneID, simple(types.ChangeActionUpsert, "www.sdk.example", types.RRTypeA, 60, "192.0.2.99"))
	r := n.query(t, "udp", "www.sdk.example.", dns.TypeA)
	if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != "192.0.2.99" {
		t.Errorf("after UPSERT: %v", r.Answer)
	}
}

// TestSDKTypedErrors checks that errors arrive as the SDK's typed errors:
// the proof that the XML error shapes are right.
func TestSDKTypedErrors(t *testing.T) {
	n := startNode(t, "")
	c := n.r53("us-west-2")
	ctx := context.Background()
	zoneID := createZone(t, c, "typed.example", "typed-1")

	_, err := c.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("other.example"), CallerReference: aws.String("typed-1")})
	var exists *types.HostedZoneAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("duplicate caller reference: %v", err)
	}
	_, err = c.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String("ZNOTTHERE")})
	var noZone *types.NoSuchHostedZone
	if !errors.As(err, &noZone) {
		t.Errorf("unknown zone: %v", err)
	}
	_, err = c.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: aws.String(zoneID),
		ChangeBatch: &types.ChangeBatch{Changes: []types.Change{
			simple(types.ChangeActionDelete, "missing.typed.example", types.RRTypeA, 60, "192.0.2.1"),
		}},
	})
	var bad *types.InvalidChangeBatch
	if !errors.As(err, &bad) {
		t.Fatalf("DELETE of a missing record: %v", err)
	}
	if want := "[Tried to delete resource record set [name='missing.typed.example.', type='A'] but it was not found]"; aws.ToString(bad.Message) != want {
		t.Errorf("message = %q, want %q", aws.ToString(bad.Message), want)
	}
	_, err = c.DeleteHostedZone(ctx, &route53.DeleteHostedZoneInput{Id: aws.String(zoneID)})
	if err != nil {
		t.Errorf("deleting an empty zone: %v", err)
	}
	waitFor(t, 5*time.Second, "zone removal to reach DNS", func() bool {
		return n.query(t, "udp", "typed.example.", dns.TypeSOA).Rcode == dns.RcodeRefused
	})
}

// TestKill9KeepsAcknowledgedChanges crashes the server right after changes
// were acknowledged and checks that a restart serves all of them.
func TestKill9KeepsAcknowledgedChanges(t *testing.T) {
	dir := t.TempDir()
	n := startNode(t, dir)
	c := n.r53("us-east-1")
	ctx := context.Background()
	zoneID := createZone(t, c, "durable.example", "durable-1")
	const count = 20
	for i := 0; i < count; i++ {
		_, err := c.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
			HostedZoneId: aws.String(zoneID),
			ChangeBatch: &types.ChangeBatch{Changes: []types.Change{
				simple(types.ChangeActionCreate, fmt.Sprintf("h%d.durable.example", i), types.RRTypeA, 60, fmt.Sprintf("192.0.2.%d", i+1)),
			}},
		})
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	n.Kill9()

	n2 := startNode(t, dir)
	c2 := n2.r53("us-east-1")
	out, err := c2.ListResourceRecordSets(ctx, &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(zoneID)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ResourceRecordSets) != count+2 {
		t.Errorf("after kill -9: %d record sets, want %d", len(out.ResourceRecordSets), count+2)
	}
	for i := 0; i < count; i++ {
		r := n2.query(t, "udp", fmt.Sprintf("h%d.durable.example.", i), dns.TypeA)
		if len(r.Answer) != 1 || r.Answer[0].(*dns.A).A.String() != fmt.Sprintf("192.0.2.%d", i+1) {
			t.Errorf("h%d after kill -9: %v", i, r.Answer)
		}
	}
}
