// Command l4load is the loopback TCP load generator, responder and
// accelerator setup of bench/l4.sh.
//
//	l4load serve -addr 127.0.0.1:PORT [-resp 128] [-max-run 15m]
//	l4load run   -addr HOST:PORT [-c 32] [-d 10s] [-n 0] [-rate 0]
//	             [-req 64] [-resp 128] [-timeout 2s] [-check]
//	l4load accel -api URL -listener FRONT=IP:PORT[@HCPORT] ... [-name l4bench]
//
// serve is the backend: for every connection it reads one request line (up
// to and including '\n'), answers -resp bytes and closes the connection, so
// the backend, not the client, ends each exchange (its TIME_WAIT stays on
// the server side and the client's ephemeral ports stay free).
//
// run opens connections to -addr from -c workers until -d has passed or -n
// connections were started (whichever comes first): each connects, sends a
// -req byte request line, reads the reply to EOF, checks that it is -resp
// bytes long, and closes. -rate > 0 paces the starts to that many per
// second across all workers (an open schedule: a late worker does not make
// up for lost slots). It prints one line of key=value pairs: conns (succeeded),
// errors (and per kind: dial, io, short), secs, rate (conns/s), p50_us,
// p90_us, p99_us, max_us and mean_us of the time from the start of connect
// to the first reply byte, and cpu_s (its own user+system CPU time). With
// -check it exits 1 unless every connection succeeded.
//
// accel creates, through the Global Accelerator API of a Meridian server
// with aws-sdk-go-v2, one accelerator with a TCP listener per -listener
// flag: port FRONT, one endpoint group in us-east-1 whose single endpoint
// is IP:PORT, health-checked every 30 s over TCP on HCPORT (default PORT).
// Credentials come from MERIDIAN_ACCESS_KEY_ID and
// MERIDIAN_SECRET_ACCESS_KEY. It prints "address=IP" for each static
// address of the accelerator and "listener=FRONT arn=ARN" for each listener.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("l4load: ")
	if len(os.Args) < 2 {
		log.Fatal("usage: l4load serve|run|accel [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = serveCmd(ctx, args)
	case "run":
		err = runCmd(ctx, args)
	case "accel":
		err = accelCmd(ctx, args)
	default:
		err = fmt.Errorf("unknown subcommand %q (want serve, run or accel)", cmd)
	}
	if err != nil {
		log.Fatal(err)
	}
}
