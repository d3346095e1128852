// Package boltstore implements store.Store on an embedded bbolt file.
//
// Keys and values live in one bucket ("kv"); a second bucket ("meta") holds
// the current revision as an 8-byte big-endian integer. Every Update that
// writes commits the next revision and is fsynced before Update returns.
// Watch is an in-process fan-out fed from a bounded in-memory log of recent
// events; see Store.Watch for what a watcher receives when it asks for
// revisions older than the log or falls behind.
//
// One process owns the file at a time: Open takes bbolt's exclusive file
// lock and gives up after LockTimeout with an error matching ErrLocked.
package boltstore

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/meridian-gtm/meridian/internal/store"
)

// LockTimeout is how long Open waits for the file lock held by another
// process (or another Open in this process) before failing with ErrLocked.
const LockTimeout = time.Second

// ErrLocked is matched (errors.Is) by the error Open returns when another
// process holds the database file.
var ErrLocked = errors.New("boltstore: database file is locked by another process")

// Bucket and key names in the bbolt file.
var (
	kvBucket    = []byte("kv")
	metaBucket  = []byte("meta")
	revisionKey = []byte("revision")
)

// Default limits; see options.
const (
	defaultLogEvents    = 1024
	defaultLogKeys      = 64 * 1024
	defaultWatchPending = 256
	defaultMergedKeys   = 4096
)

// options holds the in-memory limits of a Store. Tests shrink them.
type options struct {
	// logEvents and logKeys bound the in-memory event log: at most logEvents
	// events holding at most logKeys keys in total.
	logEvents int
	logKeys   int
	// watchPending is how many undelivered events a watcher may queue before
	// new events are merged into the newest queued one.
	watchPending int
	// mergedKeys is the largest key list a merged event keeps; beyond it the
	// merged event's Keys becomes nil ("unknown").
	mergedKeys int
}

func defaultOptions() options {
	return options{
		logEvents:    defaultLogEvents,
		logKeys:      defaultLogKeys,
		watchPending: defaultWatchPending,
		mergedKeys:   defaultMergedKeys,
	}
}

// Store is a store.Store backed by a bbolt file. It is safe for concurrent
// use. Do not call the Store's methods from inside a View or Update
// callback: bbolt transactions must not nest.
type Store struct {
	db   *bolt.DB
	path string
	opts options

	// closeMu is held for reading by every operation and for writing by
	// Close, so Close waits for operations in flight.
	closeMu sync.RWMutex
	closed  bool
	// done is closed when Close starts, to abort waiting writers and stop
	// watchers.
	done      chan struct{}
	closeOnce sync.Once

	// writeSem serializes Updates (one token) so revisions are published to
	// watchers in commit order; waiting for it honours ctx.
	writeSem chan struct{}
	// rev is the latest committed revision.
	rev atomic.Int64

	// mu guards the event log and the watcher set.
	mu       sync.Mutex
	log      eventLog
	watchers map[*watcher]struct{}
	// watchWG counts running watcher goroutines.
	watchWG sync.WaitGroup
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed, along with its parent directories) the
// bbolt file at path. If another process holds the file, Open fails after
// LockTimeout with an error matching ErrLocked.
func Open(path string) (*Store, error) {
	return openWith(path, defaultOptions())
}

func openWith(path string, opts options) (*Store, error) {
	if path == "" {
		return nil, errors.New("boltstore: open: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("boltstore: create directory for %s: %w", path, err)
	}
	bopts := &bolt.Options{
		Timeout:      LockTimeout,
		FreelistType: bolt.FreelistMapType,
	}
	if bits.UintSize == 64 {
		// Reserve address space up front so that writers rarely need to
		// remap, which would wait for long-running readers.
		bopts.InitialMmapSize = 1 << 30
	}
	db, err := bolt.Open(path, 0o600, bopts)
	if err != nil {
		if errors.Is(err, bolt.ErrTimeout) {
			return nil, fmt.Errorf("boltstore: open %s: waited %s: %w", path, LockTimeout, ErrLocked)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	var rev int64
	err = db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(kvBucket); err != nil {
			return fmt.Errorf("create bucket %q: %w", kvBucket, err)
		}
		meta, err := tx.CreateBucketIfNotExists(metaBucket)
		if err != nil {
			return fmt.Errorf("create bucket %q: %w", metaBucket, err)
		}
		rev, err = readRevision(meta)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s := &Store{
		db:       db,
		path:     path,
		opts:     opts,
		done:     make(chan struct{}),
		writeSem: make(chan struct{}, 1),
		watchers: make(map[*watcher]struct{}),
	}
	s.rev.Store(rev)
	s.log.reset(rev)
	return s, nil
}

// Path returns the file the store was opened on.
func (s *Store) Path() string { return s.path }

// Revision returns the latest committed revision.
func (s *Store) Revision(ctx context.Context) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return 0, store.ErrClosed
	}
	return s.rev.Load(), nil
}

// Close stops every watcher (closing its channel), waits for operations in
// flight and closes the file. Calls after the first, Close included, return
// store.ErrClosed.
func (s *Store) Close() error {
	first := false
	s.closeOnce.Do(func() {
		first = true
		close(s.done)
	})
	if !first {
		return store.ErrClosed
	}
	s.closeMu.Lock()
	s.closed = true
	s.closeMu.Unlock()
	// Watcher goroutines select on done; wait until every channel is closed.
	s.watchWG.Wait()
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close %s: %w", s.path, err)
	}
	return nil
}

// readRevision reads the revision from the meta bucket; 0 when unset.
func readRevision(meta *bolt.Bucket) (int64, error) {
	v := meta.Get(revisionKey)
	if v == nil {
		return 0, nil
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("corrupt revision: %d bytes, want 8", len(v))
	}
	rev := int64(binary.BigEndian.Uint64(v))
	if rev < 0 {
		return 0, fmt.Errorf("corrupt revision: %d", rev)
	}
	return rev, nil
}

// writeRevision stores rev in the meta bucket.
func writeRevision(meta *bolt.Bucket, rev int64) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(rev))
	if err := meta.Put(revisionKey, buf[:]); err != nil {
		return fmt.Errorf("write revision: %w", err)
	}
	return nil
}
