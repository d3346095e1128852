package accel

import (
	"io"
	"net"
	"net/netip"
	"testing"
	"time"
)

func BenchmarkChoose(b *testing.B) {
	l := &Listener{ClientAffinity: AffinityNone, Groups: []EndpointGroup{
		group("us-east-1", 80, ep("e1", 128), ep("e2", 128), ep("e3", 64)),
		group("us-west-2", 100, ep("w1", 128), ep("w2", 128)),
		group("eu-west-1", 100, ep("eu1", 128)),
	}}
	v := view([]string{"e1", "e2", "e3", "w1", "w2", "eu1"})
	b.ReportAllocs()
	var sink Choice
	for i := 0; b.Loop(); i++ {
		src := netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)})
		f := flowFrom(src, uint16(i))
		sink = Choose(l, f, coastLocator.Locate(src), coastRTT, v)
	}
	_ = sink
}

// BenchmarkTCPThroughput pushes data through the proxy over loopback to a
// discarding backend (spliced on Linux).
func BenchmarkTCPThroughput(b *testing.B) {
	acc := netip.MustParseAddr("127.0.100.40")
	sink := startSink(b, "sink")
	p := newProxy(b, Config{}, Env{})
	port := freePort(b, acc, false)
	mustApply(b, p, listenerPlan(acc, ProtocolTCP, port, AffinityNone, group("us-east-1", 100, tcpEndpoint(sink, 1))))

	c, err := net.DialTimeout("tcp", netip.AddrPortFrom(acc, port).String(), 5*time.Second)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	chunk := make([]byte, 256<<10)
	b.SetBytes(int64(len(chunk)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Write(chunk); err != nil {
			b.Fatal(err)
		}
	}
	_ = c.(*net.TCPConn).CloseWrite()
	_, _ = io.Copy(io.Discard, c)
}
