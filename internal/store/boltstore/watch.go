package boltstore

import (
	"context"
	"slices"
	"sync"

	"github.com/meridian-gtm/meridian/internal/store"
)

// Watch delivers, in increasing revision order, events for the revisions
// committed after `after`, until ctx ends or the store closes; then the
// channel is closed. A negative `after` means 0.
//
// Exactly which events arrive:
//   - Revisions still in the in-memory log (the most recent 1024 commits
//     holding at most 65536 keys in total, and never commits from before
//     Open) arrive one Event per revision, with that revision's keys in
//     ascending order.
//   - If `after` is older than the log, the revisions from after+1 up to the
//     newest revision the log no longer holds arrive first, collapsed into a
//     single Event whose Revision is that newest one and whose Keys is nil:
//     any key may have changed, so re-read what you need. On a freshly
//     opened store, Watch(ctx, 0) therefore starts with Event{Revision: r}
//     where r is the revision at Open (when r > 0).
//   - Delivery never blocks Update: each watcher has its own queue of up to
//     256 undelivered events. When a new event arrives at a full queue it is
//     merged into the newest queued event: that event's Revision becomes the
//     new revision and its Keys the sorted union of both (nil if either is
//     empty or the union exceeds 4096 keys). No revision is skipped silently:
//     an Event with Revision r always accounts for every revision after the
//     previous Event's Revision up to r.
func (s *Store) Watch(ctx context.Context, after int64) (<-chan store.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.closeMu.RLock()
	defer s.closeMu.RUnlock()
	if s.closed {
		return nil, store.ErrClosed
	}
	if after < 0 {
		after = 0
	}
	w := &watcher{
		out:        make(chan store.Event),
		notify:     make(chan struct{}, 1),
		after:      after,
		maxPending: s.opts.watchPending,
		maxKeys:    s.opts.mergedKeys,
	}
	s.mu.Lock()
	for _, ev := range s.log.since(after) {
		w.enqueue(ev)
	}
	s.watchers[w] = struct{}{}
	s.mu.Unlock()

	s.watchWG.Add(1)
	go s.runWatcher(ctx, w)
	return w.out, nil
}

// publish records a committed event and hands it to every watcher. Update
// calls it in revision order (writes are serialized).
func (s *Store) publish(ev store.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.append(ev, s.opts.logEvents, s.opts.logKeys)
	for w := range s.watchers {
		w.enqueue(ev)
	}
}

// runWatcher moves events from w's queue to its channel until ctx ends or
// the store closes, then unregisters w and closes the channel.
func (s *Store) runWatcher(ctx context.Context, w *watcher) {
	defer s.watchWG.Done()
	defer close(w.out)
	defer func() {
		s.mu.Lock()
		delete(s.watchers, w)
		s.mu.Unlock()
	}()
	for {
		ev, ok := w.pop()
		if !ok {
			select {
			case <-w.notify:
				continue
			case <-ctx.Done():
				return
			case <-s.done:
				return
			}
		}
		// Each receiver gets its own Keys slice; the log's copy is shared.
		ev.Keys = slices.Clone(ev.Keys)
		select {
		case w.out <- ev:
		case <-ctx.Done():
			return
		case <-s.done:
			return
		}
	}
}

// watcher is one Watch call's queue of undelivered events.
type watcher struct {
	out        chan store.Event
	notify     chan struct{} // capacity 1: "the queue may be non-empty"
	after      int64
	maxPending int
	maxKeys    int

	mu    sync.Mutex
	queue []store.Event
}

// enqueue adds ev (if newer than the watch start) without blocking, merging
// it into the newest queued event when the queue is full.
func (w *watcher) enqueue(ev store.Event) {
	if ev.Revision <= w.after {
		return
	}
	w.mu.Lock()
	if n := len(w.queue); n > 0 && n >= w.maxPending {
		last := &w.queue[n-1]
		last.Revision = ev.Revision
		last.Keys = mergeKeys(last.Keys, ev.Keys, w.maxKeys)
	} else {
		w.queue = append(w.queue, ev)
	}
	w.mu.Unlock()
	select {
	case w.notify <- struct{}{}:
	default:
	}
}

// pop removes and returns the oldest queued event.
func (w *watcher) pop() (store.Event, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		return store.Event{}, false
	}
	ev := w.queue[0]
	w.queue[0] = store.Event{}
	w.queue = w.queue[1:]
	if len(w.queue) == 0 {
		w.queue = nil
	}
	return ev, true
}

// mergeKeys returns the sorted, de-duplicated union of two sorted key lists
// in a new slice, or nil ("unknown") if either is empty or the union would
// exceed limit keys. Neither input is modified.
func mergeKeys(a, b []string, limit int) []string {
	if len(a) == 0 || len(b) == 0 {
		return nil
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var k string
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			k = a[i]
			i++
		case i >= len(a) || b[j] < a[i]:
			k = b[j]
			j++
		default:
			k = a[i]
			i++
			j++
		}
		out = append(out, k)
		if len(out) > limit {
			return nil
		}
	}
	return out
}

// eventLog is the bounded in-memory history of committed events. It holds
// exactly one event for each revision in (base, base+len(events)].
type eventLog struct {
	events []store.Event
	keys   int
	base   int64
}

// reset empties the log; rev is the current revision.
func (l *eventLog) reset(rev int64) {
	l.events = nil
	l.keys = 0
	l.base = rev
}

// append adds the event for revision base+len(events)+1 and drops the oldest
// events until at most maxEvents events and maxKeys keys remain.
func (l *eventLog) append(ev store.Event, maxEvents, maxKeys int) {
	l.events = append(l.events, ev)
	l.keys += len(ev.Keys)
	for len(l.events) > 0 && (len(l.events) > maxEvents || l.keys > maxKeys) {
		l.keys -= len(l.events[0].Keys)
		l.base = l.events[0].Revision
		l.events[0] = store.Event{}
		l.events = l.events[1:]
	}
	if len(l.events) == 0 {
		l.events = nil
	}
}

// since returns the events a watcher starting after `after` must receive
// from the log: a collapsed Event (nil Keys) for revisions the log no
// longer holds, then the logged events newer than after.
func (l *eventLog) since(after int64) []store.Event {
	var out []store.Event
	if after < l.base {
		out = append(out, store.Event{Revision: l.base})
		after = l.base
	}
	if idx := after - l.base; idx < int64(len(l.events)) {
		out = append(out, l.events[idx:]...)
	}
	return out
}
