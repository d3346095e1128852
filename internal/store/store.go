// Package store is Meridian's durable, versioned key-value state with watch.
//
// Every committed Update gets the next revision (1, 2, 3, …); a new store is
// at revision 0. Keys are non-empty slash-separated strings ordered bytewise;
// values are opaque bytes (the control plane stores JSON). Two
// implementations satisfy the same contract (see storetest): bbolt, the
// embedded default, and etcd for many nodes.
//
// Every method first checks its ctx and returns ctx.Err() if it has ended.
// Do not call a Store's methods from inside a View or Update callback.
package store

import (
	"context"
	"errors"
)

// ErrClosed is returned by operations on a closed store.
var ErrClosed = errors.New("store: closed")

// ReadTx reads one consistent view of the store. It is valid only until the
// callback it was passed to returns, and is not safe for concurrent use.
// Byte slices it returns are the caller's to keep and modify.
type ReadTx interface {
	// Get returns the value at key and whether it exists.
	Get(key string) ([]byte, bool, error)
	// List calls fn for every key with the given prefix, in ascending key
	// order. Returning an error from fn stops the walk and is returned. In a
	// Tx, fn may Put and Delete; the walk covers the keys as they stood when
	// List was called.
	List(prefix string, fn func(key string, value []byte) error) error
	// Revision is the revision this view reflects. Inside Update it is the
	// revision before the transaction, which its own writes do not change:
	// callers may rely on "the revision an Update commits is
	// tx.Revision()+1".
	Revision() int64
}

// Tx is a read-write transaction. Writes are visible to later reads in the
// same transaction and become durable, all together, when Update returns nil.
// Every Put is a write (even one that stores the value already there); a
// Delete of a key that does not exist is not. Put copies value, and rejects
// an empty key with an error.
type Tx interface {
	ReadTx
	Put(key string, value []byte) error
	Delete(key string) error
}

// Event tells a watcher that revisions were committed, and which keys they
// changed (put or deleted).
//
// An Event covers every revision after the previous Event's Revision (or
// after the revision passed to Watch, for the first Event) up to and
// including Revision; usually that is exactly one revision. Keys lists the
// keys changed in those revisions, ascending and without duplicates. An
// empty Keys means the keys are not known (history older than the store
// keeps, or a watcher that fell far behind): any key may have changed, so
// re-read the state you need.
type Event struct {
	Revision int64
	Keys     []string
}

// Store is durable, versioned state.
type Store interface {
	// View runs fn on a consistent read-only view: writes committed while fn
	// runs are not visible to it. fn's error is returned unchanged.
	View(ctx context.Context, fn func(ReadTx) error) error
	// Update runs fn in a serializable read-write transaction. If fn returns
	// an error (returned unchanged) or ctx ends before the commit, nothing is
	// written. On success the transaction is committed durably (it survives
	// kill -9) as revision tx.Revision()+1, exactly one more than the
	// previous revision, and that revision is returned. A transaction that
	// writes nothing commits nothing and returns the current revision.
	Update(ctx context.Context, fn func(Tx) error) (int64, error)
	// Revision returns the latest committed revision.
	Revision(ctx context.Context) (int64, error)
	// Watch delivers Events for the revisions committed after `after`, in
	// increasing revision order, until ctx ends or the store is closed; then
	// the channel is closed. `after` may be older than, equal to, or newer
	// than the current revision. A watcher that keeps up receives one Event
	// per revision; one that falls behind, or asks for history the store no
	// longer keeps, may receive Events covering several revisions (see
	// Event). Watching never slows Update down.
	Watch(ctx context.Context, after int64) (<-chan Event, error)
	// Close stops every watcher (closing its channel) and releases the
	// store. Every later call, Close included, returns ErrClosed.
	Close() error
}
