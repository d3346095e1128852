package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/meridian-gtm/meridian/internal/store"
)

// errTxDone is returned by a transaction used after its callback returned.
var errTxDone = errors.New("boltstore: transaction used after its callback returned")

// readTx is the store.ReadTx handed to View callbacks (and embedded in
// writeTx). Values it returns are copies, valid after the transaction.
type readTx struct {
	tx   *bolt.Tx
	kv   *bolt.Bucket
	rev  int64
	done bool
}

var _ store.ReadTx = (*readTx)(nil)

// Get returns a copy of the value at key and whether the key exists.
func (t *readTx) Get(key string) ([]byte, bool, error) {
	if t.done {
		return nil, false, errTxDone
	}
	if key == "" {
		return nil, false, nil
	}
	k, v := t.kv.Cursor().Seek([]byte(key))
	if k == nil || !bytes.Equal(k, []byte(key)) {
		return nil, false, nil
	}
	return cloneValue(v), true, nil
}

// List calls fn for every key with the given prefix in ascending order. The
// value passed to fn is a copy.
func (t *readTx) List(prefix string, fn func(key string, value []byte) error) error {
	if t.done {
		return errTxDone
	}
	c := t.kv.Cursor()
	p := []byte(prefix)
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if err := fn(string(k), cloneValue(v)); err != nil {
			return err
		}
	}
	return nil
}

// Revision is the revision this view reflects. Inside Update it is the
// revision before the transaction; a writing Update commits Revision()+1.
func (t *readTx) Revision() int64 { return t.rev }

// writeTx is the store.Tx handed to Update callbacks. It records which keys
// it changed so the commit can report them to watchers.
type writeTx struct {
	readTx
	changed map[string]struct{}
}

var _ store.Tx = (*writeTx)(nil)

// Put stores a copy of value at key. Every Put counts as a write, even one
// that stores the value already there.
func (t *writeTx) Put(key string, value []byte) error {
	if t.done {
		return errTxDone
	}
	if key == "" {
		return errors.New("boltstore: put: empty key")
	}
	if err := t.kv.Put([]byte(key), cloneValue(value)); err != nil {
		return fmt.Errorf("boltstore: put %q: %w", key, err)
	}
	t.changed[key] = struct{}{}
	return nil
}

// Delete removes key. Deleting a key that does not exist is not a write.
func (t *writeTx) Delete(key string) error {
	if t.done {
		return errTxDone
	}
	_, ok, err := t.Get(key)
	if err != nil || !ok {
		return err
	}
	if err := t.kv.Delete([]byte(key)); err != nil {
		return fmt.Errorf("boltstore: delete %q: %w", key, err)
	}
	t.changed[key] = struct{}{}
	return nil
}

// List calls fn for every key with the given prefix in ascending order, as
// the transaction stood when List was called; fn may Put or Delete.
func (t *writeTx) List(prefix string, fn func(key string, value []byte) error) error {
	if t.done {
		return errTxDone
	}
	// Collect first: bbolt cursors are invalidated by writes, and callers
	// commonly delete what they walk.
	type kv struct {
		k string
		v []byte
	}
	var items []kv
	if err := t.readTx.List(prefix, func(k string, v []byte) error {
		items = append(items, kv{k, v})
		return nil
	}); err != nil {
		return err
	}
	for _, it := range items {
		if err := fn(it.k, it.v); err != nil {
			return err
		}
	}
	return nil
}

// changedKeys returns the changed keys in ascending order.
func (t *writeTx) changedKeys() []string {
	keys := make([]string, 0, len(t.changed))
	for k := range t.changed {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	return keys
}

// cloneValue copies v, returning a non-nil slice even when v is empty.
func cloneValue(v []byte) []byte {
	out := make([]byte, len(v))
	copy(out, v)
	return out
}

// begin opens a bbolt transaction and wraps it. The caller must roll back or
// commit the returned bolt.Tx.
func (s *Store) begin(writable bool) (*bolt.Tx, readTx, error) {
	btx, err := s.db.Begin(writable)
	if err != nil {
		return nil, readTx{}, fmt.Errorf("boltstore: begin transaction: %w", err)
	}
	kv := btx.Bucket(kvBucket)
	meta := btx.Bucket(metaBucket)
	if kv == nil || meta == nil {
		_ = btx.Rollback()
		return nil, readTx{}, errors.New("boltstore: buckets missing from database file")
	}
	rev, err := readRevision(meta)
	if err != nil {
		_ = btx.Rollback()
		return nil, readTx{}, fmt.Errorf("boltstore: %w", err)
	}
	return btx, readTx{tx: btx, kv: kv, rev: rev}, nil
}

// View runs fn on a consistent read-only view. fn's error is returned as is.
func (s *Store) View(ctx context.Context, fn func(store.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return store.ErrClosed
	}
	btx, rt, err := s.begin(false)
	if err != nil {
		return err
	}
	defer func() { _ = btx.Rollback() }()
	t := &rt
	err = fn(t)
	t.done = true
	return err
}

// Update runs fn in a read-write transaction; Updates run one at a time. If
// fn returns an error (returned as is) or ctx ends before the commit, nothing
// is written. If fn wrote at least one key (any Put, or a Delete of an
// existing key) the transaction commits revision Revision()+1, fsynced
// before Update returns, and watchers are told. Otherwise nothing is
// committed and the current revision is returned.
func (s *Store) Update(ctx context.Context, fn func(store.Tx) error) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return 0, store.ErrClosed
	}
	select {
	case s.writeSem <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-s.done:
		return 0, store.ErrClosed
	}
	defer func() { <-s.writeSem }()

	btx, rt, err := s.begin(true)
	if err != nil {
		return 0, err
	}
	committed := false
	defer func() {
		if !committed {
			_ = btx.Rollback()
		}
	}()
	t := &writeTx{readTx: rt, changed: make(map[string]struct{})}
	err = fn(t)
	t.done = true
	if err != nil {
		return 0, err
	}
	if len(t.changed) == 0 {
		return rt.rev, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	next := rt.rev + 1
	if err := writeRevision(btx.Bucket(metaBucket), next); err != nil {
		return 0, fmt.Errorf("boltstore: %w", err)
	}
	committed = true
	if err := btx.Commit(); err != nil {
		return 0, fmt.Errorf("boltstore: commit revision %d: %w", next, err)
	}
	s.rev.Store(next)
	s.publish(store.Event{Revision: next, Keys: t.changedKeys()})
	return next, nil
}
