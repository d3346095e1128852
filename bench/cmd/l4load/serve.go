package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"time"
)

// maxRequest bounds a request line; a longer one is answered anyway.
const maxRequest = 4096

// serveCmd runs the responder until ctx ends or -max-run passes.
func serveCmd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "TCP address to listen on")
	resp := fs.Int("resp", 128, "reply size in bytes")
	maxRun := fs.Duration("max-run", 15*time.Minute, "stop by itself after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *resp < 1 || *resp > 1<<20 {
		return fmt.Errorf("serve: -resp must be 1..%d, got %d", 1<<20, *resp)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Printf("serving %d-byte replies on %s", *resp, ln.Addr())
	ctx, cancel := context.WithTimeout(ctx, *maxRun)
	defer cancel()
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	return serveListener(ctx, ln, reply(*resp))
}

// reply returns an n-byte reply: printable bytes ending in '\n'.
func reply(n int) []byte {
	b := bytes.Repeat([]byte{'r'}, n)
	b[n-1] = '\n'
	return b
}

// serveListener answers every connection ln accepts with body until ln is
// closed; it returns nil once ctx is done.
func serveListener(ctx context.Context, ln net.Listener, body []byte) error {
	var backoff time.Duration
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			// Out of descriptors or similar: back off as net/http does.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			log.Printf("accept: %v", err)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go answer(c, body)
	}
}

// answer reads one request line from c, writes body and closes c.
func answer(c net.Conn, body []byte) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	var buf [maxRequest]byte
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if bytes.IndexByte(buf[n-m:n], '\n') >= 0 {
			break
		}
		if err != nil {
			if !errors.Is(err, io.EOF) || n == 0 {
				return // a probe that connects and leaves: nothing to answer
			}
			break
		}
	}
	_, _ = c.Write(body)
}
