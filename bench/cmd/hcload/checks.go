package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"strings"
)

// callerRef is check i's CallerReference.
func callerRef(i int) string { return fmt.Sprintf("hcbench-%05d", i) }

// resourcePath is check i's ResourcePath: hctarget counts it under i.
func resourcePath(i int) string { return fmt.Sprintf("/c/%d", i) }

// readEndpoints reads the ip:port lines of path.
func readEndpoints(path string) ([]netip.AddrPort, error) {
	if path == "" {
		return nil, fmt.Errorf("-endpoints is required")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("endpoints: %w", err)
	}
	defer f.Close()
	var out []netip.AddrPort
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return nil, fmt.Errorf("endpoints %s:%d: %w", path, line, err)
		}
		out = append(out, ap)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("endpoints %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("endpoints %s: no endpoint", path)
	}
	return out, nil
}
