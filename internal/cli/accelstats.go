package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/meridian-gtm/meridian/internal/api/accelstats"
)

// maxAccelStatsBytes bounds the statistics endpoint's answer read by the CLI.
const maxAccelStatsBytes = 32 << 20

// accelStatsEndpoint is the server's accelerator statistics endpoint.
var accelStatsEndpoint = nativeEndpoint{name: "accelerator stats", path: accelstats.Path, service: accelstats.SigningService, maxBytes: maxAccelStatsBytes}

// accelStats runs "accel stats [ARN]": it asks the server's data plane for
// every endpoint's flow and byte counters (of accelerator ARN alone when
// given) and prints them, one block per accelerator, then the drop counters.
func (r *Runner) accelStats(ctx context.Context, in *invocation, args []string) error {
	v := url.Values{}
	if len(args) == 1 {
		v.Set("accelerator", args[0])
	}
	body, err := r.signedGet(ctx, accelStatsEndpoint, v)
	if err != nil {
		return err
	}
	var resp accelstats.Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("GET %s: malformed answer: %w", accelstats.Path, err)
	}
	filter := ""
	if len(args) == 1 {
		filter = args[0]
	}
	return renderAccelStats(r.Stdout, &resp, filter)
}

// accelStatsHeader names the columns of the endpoint table.
var accelStatsHeader = []string{"LISTENER", "REGION", "ENDPOINT", "ACTIVE", "FLOWS", "DIAL ERRORS", "BYTES IN", "BYTES OUT", ""}

// accelStatsRight marks the columns aligned right: the counters.
var accelStatsRight = []bool{false, false, false, true, true, true, true, true, false}

// renderAccelStats prints the endpoints grouped by accelerator, each block
// headed by the accelerator's ARN and the column names (aligned alike across
// blocks), then the drop counters. filter is the accelerator asked about,
// "" for all.
func renderAccelStats(w io.Writer, resp *accelstats.Response, filter string) error {
	eps := slices.Clone(resp.Endpoints)
	slices.SortStableFunc(eps, func(a, b accelstats.Endpoint) int { return cmp.Compare(a.AcceleratorARN, b.AcceleratorARN) })
	var blocks [][][]string
	var heads []string
	for i, e := range eps {
		if i == 0 || e.AcceleratorARN != eps[i-1].AcceleratorARN {
			heads = append(heads, e.AcceleratorARN)
			blocks = append(blocks, [][]string{accelStatsHeader})
		}
		mark := ""
		if e.Removed {
			mark = "removed, draining"
		}
		b := &blocks[len(blocks)-1]
		*b = append(*b, []string{
			listenerText(e), orDash(e.Region), oneLine(e.EndpointID),
			strconv.FormatInt(e.ActiveFlows, 10), strconv.FormatUint(e.TotalFlows, 10), strconv.FormatUint(e.DialErrors, 10),
			humanBytes(e.BytesIn), humanBytes(e.BytesOut), mark,
		})
	}
	widths := columnWidths(blocks)
	var sb strings.Builder
	switch {
	case len(eps) == 0 && filter != "":
		fmt.Fprintf(&sb, "accelerator %s has no endpoints in the data plane\n", filter)
	case len(eps) == 0:
		sb.WriteString("no accelerator endpoints in the data plane\n")
	}
	for i, rows := range blocks {
		if i > 0 {
			sb.WriteString("\n")
		}
		fmt.Fprintf(&sb, "accelerator %s\n", orDash(heads[i]))
		for _, row := range rows {
			writeAligned(&sb, "  ", row, widths, accelStatsRight)
		}
	}
	d := resp.Drops
	scope := "drops"
	if filter != "" {
		scope = "drops (all accelerators)"
	}
	fmt.Fprintf(&sb, "\n%s: %d disabled, %d no endpoint, %d dial failed, %d UDP table full\n",
		scope, d.Disabled, d.NoEndpoint, d.DialFailed, d.UDPTableFull)
	_, err := io.WriteString(w, sb.String())
	return err
}

// listenerText names an endpoint's listener within its accelerator: the
// protocol and the listener ID (the whole ARN when it has no listener part).
func listenerText(e accelstats.Endpoint) string {
	id := e.ListenerARN
	if _, after, ok := strings.Cut(id, "/listener/"); ok {
		id = after
	}
	return strings.TrimSpace(e.Protocol + " " + orDash(id))
}

// columnWidths returns the widest cell of each column over every row of
// every block.
func columnWidths(blocks [][][]string) []int {
	var widths []int
	for _, rows := range blocks {
		for _, row := range rows {
			for i, cell := range row {
				if i >= len(widths) {
					widths = append(widths, 0)
				}
				widths[i] = max(widths[i], len([]rune(cell)))
			}
		}
	}
	return widths
}

// writeAligned writes one row after indent, cells padded to widths and two
// spaces apart, right-aligned where right says so, without trailing blanks.
func writeAligned(b *strings.Builder, indent string, row []string, widths []int, right []bool) {
	var line strings.Builder
	line.WriteString(indent)
	for i, cell := range row {
		if i > 0 {
			line.WriteString("  ")
		}
		pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
		if i < len(right) && right[i] {
			line.WriteString(pad + cell)
		} else {
			line.WriteString(cell + pad)
		}
	}
	b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
}

// byteUnits are the binary units above bytes.
var byteUnits = []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}

// humanBytes renders a byte count in binary units: "512 B", "1.5 KiB",
// "3.2 GiB" (one decimal, rounded, never "1024.0" of a unit).
func humanBytes(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + " B"
	}
	v, unit := float64(n)/1024, 0
	for v >= 1023.95 && unit < len(byteUnits)-1 {
		v /= 1024
		unit++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + byteUnits[unit]
}
