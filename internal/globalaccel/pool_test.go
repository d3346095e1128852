package globalaccel

import (
	"fmt"
	"net/netip"
	"testing"
	"time"
)

func TestUsable(t *testing.T) {
	p := netip.MustParsePrefix
	a := netip.MustParseAddr
	tests := []struct {
		pool netip.Prefix
		addr netip.Addr
		want bool
	}{
		{p("127.0.100.0/24"), a("127.0.100.1"), true},
		{p("127.0.100.0/24"), a("127.0.100.254"), true},
		{p("127.0.100.0/24"), a("127.0.100.0"), false},
		{p("127.0.100.0/24"), a("127.0.100.255"), false},
		{p("127.0.100.0/24"), a("127.0.101.1"), false},
		{p("127.0.100.7/24"), a("127.0.100.7"), true}, // the pool is masked
		{p("192.0.2.8/31"), a("192.0.2.8"), true},
		{p("192.0.2.8/32"), a("192.0.2.8"), true},
		{p("fd00::/64"), a("fd00::"), false},
		{p("fd00::/64"), a("fd00::ffff:ffff:ffff:ffff"), true},
		{p("fd00::/64"), a("127.0.100.1"), false},
		{netip.Prefix{}, a("127.0.100.1"), false},
	}
	for _, tc := range tests {
		if got := Usable(tc.pool, tc.addr); got != tc.want {
			t.Errorf("Usable(%s, %s) = %v, want %v", tc.pool, tc.addr, got, tc.want)
		}
	}
}

func TestAllocate(t *testing.T) {
	pool := netip.MustParsePrefix("127.0.100.0/29") // .1–.6 usable
	used := map[netip.Addr]bool{netip.MustParseAddr("127.0.100.1"): true, netip.MustParseAddr("127.0.100.3"): true}
	got, err := Allocate(pool, used, 2)
	if err != nil || fmt.Sprint(got) != "[127.0.100.2 127.0.100.4]" {
		t.Fatalf("Allocate = %v, %v", got, err)
	}
	for _, a := range got {
		used[a] = true
	}
	if got, err := Allocate(pool, used, 2); err != nil || fmt.Sprint(got) != "[127.0.100.5 127.0.100.6]" {
		t.Fatalf("second Allocate = %v, %v", got, err)
	}
	used[netip.MustParseAddr("127.0.100.5")] = true
	_, err = Allocate(pool, used, 2)
	wantCode(t, err, limitExceeded)
	if got, err := Allocate(pool, used, 0); err != nil || len(got) != 0 {
		t.Errorf("Allocate 0 = %v, %v", got, err)
	}
	v6, err := Allocate(netip.MustParsePrefix("fd00:ac::/64"), nil, 2)
	if err != nil || fmt.Sprint(v6) != "[fd00:ac::1 fd00:ac::2]" {
		t.Errorf("IPv6 Allocate = %v, %v", v6, err)
	}
}

func TestPaginate(t *testing.T) {
	type item struct{ key string }
	items := []item{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}}
	key := func(i *item) string { return i.key }
	var got []string
	token := ""
	for pages := 0; ; pages++ {
		page, next, err := Paginate(items, key, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range page {
			got = append(got, i.key)
		}
		if next == "" {
			if pages != 2 {
				t.Errorf("%d pages", pages+1)
			}
			break
		}
		token = next
	}
	if fmt.Sprint(got) != "[a b c d e]" {
		t.Errorf("pages %v", got)
	}
	// The token names the last item shown: after "b" is gone, listing
	// resumes at "c".
	_, next, _ := Paginate(items, key, 2, "")
	page, _, err := Paginate([]item{{"a"}, {"c"}, {"d"}}, key, 2, next)
	if err != nil || len(page) != 2 || page[0].key != "c" {
		t.Errorf("resume after deletion: %v %v", page, err)
	}
	if page, next, _ := Paginate(items, key, 0, ""); len(page) != 5 || next != "" {
		t.Errorf("default page size: %d items, next %q", len(page), next)
	}
	for _, bad := range []string{"!!", "Zm9v", encodeToken("x")[:3]} {
		_, _, err := Paginate(items, key, 2, bad)
		wantCode(t, err, CodeInvalidNextToken)
	}
}

func TestPageSize(t *testing.T) {
	tests := []struct {
		in   *int
		want int
		code string
	}{
		{nil, 10, ""},
		{ptr(1), 1, ""},
		{ptr(100), 100, ""},
		{ptr(0), 0, invalidArgument},
		{ptr(101), 0, invalidArgument},
	}
	for _, tc := range tests {
		got, err := PageSize(tc.in)
		if got != tc.want || codeOf(err) != tc.code {
			t.Errorf("PageSize(%v) = %d, %v", tc.in, got, err)
		}
	}
}

func TestSortKey(t *testing.T) {
	early := time.Unix(9, 0)
	late := time.Unix(10, 0)
	if !(SortKey(early, "z") < SortKey(late, "a")) || !(SortKey(late, "a") < SortKey(late, "b")) {
		t.Error("SortKey does not order by time, then ARN")
	}
}
