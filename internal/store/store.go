// Package store is Meridian's durable, versioned key-value state with watch.
//
// Every committed Update gets the next revision (1, 2, 3, …). Keys are
// slash-separated strings; values are opaque bytes (the control plane stores
// JSON). Two implementations satisfy the same contract (see storetest): bbolt,
// the embedded default, and etcd for many nodes.
package store

import (
	"context"
	"errors"
)

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("store: closed")

// ReadTx reads one consistent view of the store.
type ReadTx interface {
	// Get returns the value at key and whether it exists.
	Get(key string) ([]byte, bool, error)
	// List calls fn for every key with the given prefix, in ascending key
	// order. Returning an error from fn stops the walk and is returned.
	List(prefix string, fn func(key string, value []byte) error) error
	// Revision is the revision this view reflects.
	Revision() int64
}

// Tx is a read-write transaction. Writes are visible to later reads in the
// same transaction and become durable, all together, when Update returns nil.
type Tx interface {
	ReadTx
	Put(key string, value []byte) error
	Delete(key string) error
}

// Event tells a watcher that a revision was committed, and which keys it
// changed (put or deleted).
type Event struct {
	Revision int64
	Keys     []string
}

// Store is durable, versioned state.
type Store interface {
	// View runs fn on a consistent read-only view.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Update runs fn in a serializable read-write transaction. If fn returns
	// an error nothing is written. On success the transaction is committed
	// durably (it survives kill -9) and its revision is returned. A
	// transaction that writes nothing still commits nothing and returns the
	// current revision.
	Update(ctx context.Context, fn func(Tx) error) (int64, error)
	// Revision returns the latest committed revision.
	Revision(ctx context.Context) (int64, error)
	// Watch delivers an Event for every revision committed after `after`,
	// in order, until ctx ends; then the channel is closed. A watcher that
	// falls behind may receive one Event per revision it missed.
	Watch(ctx context.Context, after int64) (<-chan Event, error)
	// Close releases the store.
	Close() error
}
