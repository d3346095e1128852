//go:build unix

package boltstore

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/meridian-gtm/meridian/internal/store"
)

// writerEnv puts the test binary in writer mode: it opens the store at the
// path in this variable, commits Updates in a loop and prints "ack <rev>"
// after each one returns.
const writerEnv = "MERIDIAN_BOLTSTORE_KILL_WRITER"

// Limits so an orphaned writer stops on its own.
const (
	writerMaxUpdates = 100000
	writerMaxTime    = 30 * time.Second
)

// dataKey is the key Update number rev writes.
func dataKey(rev int64) string { return fmt.Sprintf("d/%08d", rev) }

// dataValue is the value Update number rev writes.
func dataValue(rev int64) string { return "value-" + strconv.FormatInt(rev, 10) }

// runWriter is the child side of TestKill9Durability. Each Update writes the
// key for its revision and the "last" key, so the store stays checkable.
func runWriter(path string) error {
	s, err := Open(path)
	if err != nil {
		return err
	}
	ctx := context.Background()
	deadline := time.Now().Add(writerMaxTime)
	for range writerMaxUpdates {
		if time.Now().After(deadline) {
			break
		}
		rev, err := s.Update(ctx, func(tx store.Tx) error {
			next := tx.Revision() + 1
			if err := tx.Put(dataKey(next), []byte(dataValue(next))); err != nil {
				return err
			}
			return tx.Put("last", []byte(strconv.FormatInt(next, 10)))
		})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(os.Stdout, "ack %d\n", rev); err != nil {
			return err
		}
	}
	return s.Close()
}

func TestKill9Durability(t *testing.T) {
	if path := os.Getenv(writerEnv); path != "" {
		if err := runWriter(path); err != nil {
			fmt.Fprintln(os.Stderr, "writer:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}

	path := filepath.Join(t.TempDir(), "meridian.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Durability$", "-test.count=1")
	cmd.Env = append(os.Environ(), writerEnv+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start writer: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	acks := make(chan int64, 1024)
	scanErr := make(chan error, 1)
	go func() {
		defer close(acks)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			var rev int64
			if _, err := fmt.Sscanf(sc.Text(), "ack %d", &rev); err != nil {
				scanErr <- fmt.Errorf("writer printed %q", sc.Text())
				return
			}
			acks <- rev
		}
		scanErr <- sc.Err()
	}()

	var acked []int64
	wait := func(n int) {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for len(acked) < n {
			select {
			case rev, ok := <-acks:
				if !ok {
					t.Fatalf("writer stopped after %d acks: %v; stderr: %s", len(acked), <-scanErr, stderr.String())
				}
				acked = append(acked, rev)
			case <-timeout:
				t.Fatalf("only %d acks from the writer within 10s; stderr: %s", len(acked), stderr.String())
			}
		}
	}
	wait(20)

	// While the writer holds the file, another process cannot open it.
	start := time.Now()
	if s, err := Open(path); err == nil {
		_ = s.Close()
		t.Fatalf("Open succeeded while another process held the file")
	} else if !errors.Is(err, ErrLocked) {
		t.Errorf("Open while another process held the file: %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > LockTimeout+2*time.Second {
		t.Errorf("Open of a locked file took %s", d)
	}

	wait(len(acked) + 20)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill writer: %v", err)
	}
	// Every ack written before the kill is still in the pipe.
	for rev := range acks {
		acked = append(acked, rev)
	}
	if err := <-scanErr; err != nil {
		t.Fatalf("reading acks: %v", err)
	}
	err = cmd.Wait()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("writer exit: %v, want death by SIGKILL", err)
	}
	if ws, ok := exitErr.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("writer ended with %v, want death by SIGKILL; stderr: %s", err, stderr.String())
	}

	for i, rev := range acked {
		if rev != int64(i)+1 {
			t.Fatalf("ack %d is revision %d, want %d", i, rev, i+1)
		}
	}
	lastAck := acked[len(acked)-1]

	s := openTest(t, path)
	rev, err := s.Revision(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The kill may land after a commit but before its ack was printed.
	if rev < lastAck || rev > lastAck+1 {
		t.Fatalf("reopened at revision %d, last acknowledged %d", rev, lastAck)
	}
	t.Logf("killed after %d acks; reopened at revision %d", lastAck, rev)
	err = s.View(t.Context(), func(tx store.ReadTx) error {
		if tx.Revision() != rev {
			return fmt.Errorf("view revision %d, store revision %d", tx.Revision(), rev)
		}
		want := int64(1)
		if err := tx.List("d/", func(k string, v []byte) error {
			if k != dataKey(want) || string(v) != dataValue(want) {
				return fmt.Errorf("key %d is %s=%q, want %s=%q", want, k, v, dataKey(want), dataValue(want))
			}
			want++
			return nil
		}); err != nil {
			return err
		}
		if want-1 != rev {
			return fmt.Errorf("%d data keys at revision %d", want-1, rev)
		}
		last, ok, err := tx.Get("last")
		if err != nil {
			return err
		}
		if !ok || string(last) != strconv.FormatInt(rev, 10) {
			return fmt.Errorf("last = %q (exists %v), want %d", last, ok, rev)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("store after kill -9: %v", err)
	}
	// bbolt's own structural check of the file.
	if err := s.db.View(func(tx *bolt.Tx) error {
		var errs []error
		for err := range tx.Check() {
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	}); err != nil {
		t.Fatalf("bbolt consistency check: %v", err)
	}
	// And the store carries on from where it was.
	next, err := s.Update(t.Context(), func(tx store.Tx) error { return tx.Put(dataKey(rev+1), []byte(dataValue(rev+1))) })
	if err != nil || next != rev+1 {
		t.Fatalf("Update after recovery = %d, %v; want %d", next, err, rev+1)
	}
}
