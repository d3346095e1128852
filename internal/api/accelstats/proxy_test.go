package accelstats

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/meridian-gtm/meridian/internal/accel"
	"github.com/meridian-gtm/meridian/internal/auth"
)

// echoBackend is a TCP endpoint echoing everything until the client's EOF,
// which it passes on.
func echoBackend(t *testing.T) netip.AddrPort {
	t.Helper()
	ln, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatalf("backend listen: %v", err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.AcceptTCP()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				if _, err := io.Copy(c, c); err == nil {
					_ = c.CloseWrite()
				}
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		wg.Wait()
	})
	return ln.Addr().(*net.TCPAddr).AddrPort()
}

// freeTCPPort returns a port free on addr.
func freeTCPPort(t *testing.T, addr netip.Addr) uint16 {
	t.Helper()
	ln, err := net.ListenTCP("tcp", net.TCPAddrFromAddrPort(netip.AddrPortFrom(addr, 0)))
	if err != nil {
		t.Fatalf("free port on %s: %v", addr, err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).AddrPort().Port()
}

// roundTrip connects to dst, sends msg, half-closes and returns what came
// back.
func roundTrip(dst netip.AddrPort, msg string) (string, error) {
	c, err := net.DialTimeout("tcp", dst.String(), 5*time.Second)
	if err != nil {
		return "", fmt.Errorf("connect %s: %w", dst, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, msg); err != nil {
		return "", fmt.Errorf("write: %w", err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		return "", fmt.Errorf("half-close: %w", err)
	}
	got, err := io.ReadAll(c)
	return string(got), err
}

// fetch asks h for the counters, optionally of one accelerator.
func fetch(t *testing.T, h http.Handler, acc string) Response {
	t.Helper()
	target := Path
	if acc != "" {
		target += "?accelerator=" + url.QueryEscape(acc)
	}
	w := serve(h, request(t, http.MethodGet, target, SigningService, time.Now()))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp Response
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

// fetchUntil fetches the counters of accelerator acc until cond holds of
// them, for a few seconds at most.
func fetchUntil(t *testing.T, h http.Handler, acc string, cond func(Response) bool) Response {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp := fetch(t, h, acc)
		if cond(resp) {
			return resp
		}
		if time.Now().After(deadline) {
			t.Fatalf("counters never reached the expected values: %+v", resp)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestRealProxy pushes connections through a real data plane and reads its
// counters back through the endpoint: flows and bytes of the served
// accelerator, a refused flow of a disabled one.
func TestRealProxy(t *testing.T) {
	onAddr, offAddr := netip.MustParseAddr("127.0.100.60"), netip.MustParseAddr("127.0.100.61")
	be := echoBackend(t)
	onPort, offPort := freeTCPPort(t, onAddr), freeTCPPort(t, offAddr)
	listener := func(acc string, port uint16) accel.Listener {
		return accel.Listener{
			ARN: acc + "/listener/0a0b0c0d", Protocol: accel.ProtocolTCP, ClientAffinity: accel.AffinityNone,
			PortRanges: []accel.PortRange{{From: port, To: port}},
			Groups: []accel.EndpointGroup{{
				ARN: acc + "/listener/0a0b0c0d/endpoint-group/aaaaaaaaaaaa", Region: "us-east-1", TrafficDial: 100,
				Endpoints: []accel.Endpoint{{ID: be.String(), Addr: be.Addr(), Port: be.Port(), Weight: 128}},
			}},
		}
	}
	plan := &accel.Plan{Accelerators: []accel.Accelerator{
		{ARN: accA, Name: "on", Enabled: true, Addresses: []netip.Addr{onAddr}, Listeners: []accel.Listener{listener(accA, onPort)}},
		{ARN: accB, Name: "off", Enabled: false, Addresses: []netip.Addr{offAddr}, Listeners: []accel.Listener{listener(accB, offPort)}},
	}}
	proxy := accel.New(accel.Config{SweepInterval: 10 * time.Millisecond}, accel.Env{}, slog.New(slog.DiscardHandler))
	t.Cleanup(proxy.Close)
	if err := proxy.Apply(plan); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	h := NewHandler(proxy, auth.Credentials{testKeyID: testSecret}, nil)

	var sent int
	for i := range 3 {
		msg := fmt.Sprintf("message %d through the accelerator\n", i)
		got, err := roundTrip(netip.AddrPortFrom(onAddr, onPort), msg)
		if err != nil || got != msg {
			t.Fatalf("echo %d: got %q, %v; want %q", i, got, err, msg)
		}
		sent += len(msg)
	}
	if got, err := roundTrip(netip.AddrPortFrom(offAddr, offPort), "refused\n"); err == nil && got != "" {
		t.Errorf("the disabled accelerator carried a flow: %q", got)
	}

	// The byte counts of a closed flow are exact, or one more per direction
	// when a sweep sampled the kernel's count after the peer's FIN, which
	// takes a sequence number (see the final report: an accel issue).
	resp := fetchUntil(t, h, accA, func(r Response) bool {
		if len(r.Endpoints) != 1 {
			return false
		}
		e := r.Endpoints[0]
		return e.ActiveFlows == 0 && e.TotalFlows == 3 && e.BytesIn >= uint64(sent) && e.BytesOut >= uint64(sent) && r.Drops.Disabled > 0
	})
	e := resp.Endpoints[0]
	for _, got := range []uint64{e.BytesIn, e.BytesOut} {
		if got < uint64(sent) || got > uint64(sent+3) {
			t.Errorf("bytes in %d, out %d after 3 flows of %d bytes each way", e.BytesIn, e.BytesOut, sent)
		}
	}
	want := Endpoint{
		AcceleratorARN: accA, ListenerARN: accA + "/listener/0a0b0c0d", Protocol: "TCP",
		EndpointGroupARN: accA + "/listener/0a0b0c0d/endpoint-group/aaaaaaaaaaaa", Region: "us-east-1",
		EndpointID: be.String(), TotalFlows: 3, BytesIn: e.BytesIn, BytesOut: e.BytesOut,
	}
	if e != want {
		t.Errorf("endpoint counters\n got %+v\nwant %+v", e, want)
	}
	if d := resp.Drops; d.Disabled != 1 || d.NoEndpoint != 0 || d.DialFailed != 0 {
		t.Errorf("drops %+v, want one disabled", d)
	}

	// An open flow counts as active, and its bytes show on the next sweep.
	live, err := net.DialTimeout("tcp", netip.AddrPortFrom(onAddr, onPort).String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	_ = live.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(live, "live\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(live, make([]byte, 5)); err != nil {
		t.Fatalf("echo on the open flow: %v", err)
	}
	fetchUntil(t, h, accA, func(r Response) bool {
		if len(r.Endpoints) != 1 {
			return false
		}
		l := r.Endpoints[0]
		return l.ActiveFlows == 1 && l.TotalFlows == 4 && l.BytesIn == e.BytesIn+5 && l.BytesOut == e.BytesOut+5
	})

	all := fetch(t, h, "")
	if len(all.Endpoints) != 2 {
		t.Fatalf("all accelerators: %+v, want the endpoints of both", all.Endpoints)
	}
	for _, e := range all.Endpoints {
		if e.AcceleratorARN == accB && e.TotalFlows != 0 {
			t.Errorf("the disabled accelerator's endpoint counts flows: %+v", e)
		}
	}
}
