package boltstore

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestOpenSecondOpenFailsFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meridian.db")
	openTest(t, path)
	start := time.Now()
	s, err := Open(path)
	elapsed := time.Since(start)
	if err == nil {
		_ = s.Close()
		t.Fatalf("second Open of a held file succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("second Open error = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	if elapsed > LockTimeout+2*time.Second {
		t.Errorf("second Open took %s, want about %s", elapsed, LockTimeout)
	}
}

func TestOpenAfterCloseSucceeds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meridian.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	openTest(t, path)
}

func TestOpenRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name string
		// setup prepares dir and returns the path to open.
		setup func(t *testing.T, dir string) string
		want  string
	}{
		{
			name: "not a bbolt file",
			setup: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "meridian.db")
				if err := os.WriteFile(path, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
					t.Fatal(err)
				}
				return path
			},
			want: "invalid",
		},
		{
			name: "corrupt revision",
			setup: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "meridian.db")
				writeRaw(t, path, "meta", "revision", []byte{1, 2, 3})
				return path
			},
			want: "corrupt revision",
		},
		{
			name: "negative revision",
			setup: func(t *testing.T, dir string) string {
				path := filepath.Join(dir, "meridian.db")
				writeRaw(t, path, "meta", "revision", []byte{0xff, 0, 0, 0, 0, 0, 0, 1})
				return path
			},
			want: "corrupt revision",
		},
		{
			name: "parent is a file",
			setup: func(t *testing.T, dir string) string {
				blocker := filepath.Join(dir, "file")
				if err := os.WriteFile(blocker, nil, 0o600); err != nil {
					t.Fatal(err)
				}
				return filepath.Join(blocker, "meridian.db")
			},
			want: "create directory",
		},
		{
			name:  "empty path",
			setup: func(*testing.T, string) string { return "" },
			want:  "empty path",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(tc.setup(t, t.TempDir()))
			if err == nil {
				_ = s.Close()
				t.Fatalf("Open succeeded, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// writeRaw writes one key straight into a bbolt file, bypassing Store.
func writeRaw(t *testing.T, path, bucket, key string, value []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), value)
	})
	if err != nil {
		t.Fatalf("write %s/%s: %v", bucket, key, err)
	}
}
