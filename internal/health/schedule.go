package health

import (
	"container/heap"
	"math/rand/v2"
	"time"
)

// queue is a min-heap of checkers by due time. Guarded by Engine.mu.
type queue []*checker

func (q queue) Len() int           { return len(q) }
func (q queue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].idx, q[j].idx = i, j
}
func (q *queue) Push(x any) {
	c := x.(*checker)
	c.idx = len(*q)
	*q = append(*q, c)
}
func (q *queue) Pop() any {
	old := *q
	n := len(old) - 1
	c := old[n]
	old[n] = nil
	c.idx = -1
	*q = old[:n]
	return c
}

// jitterFraction spreads probes: each interval is ±5% of its length.
const jitterFraction = 0.05

// maxSlack is how early a probe may start so that the scheduler wakes
// for batches of probes rather than for each one.
const maxSlack = 10 * time.Millisecond

// slack is how early a probe of the given interval may start: a fiftieth
// of the interval, at most maxSlack.
func slack(interval time.Duration) time.Duration {
	return min(interval/50, maxSlack)
}

// schedule queues a checker to probe at due, and wakes the scheduler when
// it becomes the earliest.
func (e *Engine) schedule(c *checker, due time.Time) {
	if c.stopped {
		return
	}
	c.due = due
	if c.idx >= 0 {
		heap.Fix(&e.queue, c.idx)
	} else {
		heap.Push(&e.queue, c)
	}
	if c.idx == 0 {
		e.wakeScheduler()
	}
}

// scheduleFirst queues a new checker's first probe at a random point of
// its first interval, so that checkers and checks spread out.
func (e *Engine) scheduleFirst(c *checker, now time.Time) {
	iv := c.chk.interval
	e.schedule(c, now.Add(time.Duration(rand.Int64N(int64(iv)+1))))
}

// scheduleNext queues a checker's next probe one interval (±5%) after its
// response.
func (e *Engine) scheduleNext(c *checker, now time.Time) {
	iv := c.chk.interval
	j := int64(float64(iv) * jitterFraction)
	if j > 0 {
		iv += time.Duration(rand.Int64N(2*j+1) - j)
	}
	e.schedule(c, now.Add(iv))
}

// unschedule stops a checker: it leaves the queue and a probe in flight is
// dropped when it completes.
func (e *Engine) unschedule(c *checker) {
	c.stopped = true
	if c.idx >= 0 {
		heap.Remove(&e.queue, c.idx)
	}
}

// wakeScheduler nudges the scheduler to look at the queue again.
func (e *Engine) wakeScheduler() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// next pops the next checker due at now, applying the per-target spacing:
// a checker whose target was probed less than MinTargetInterval ago is
// given the target's next free slot and requeued. With nothing due it
// returns how long to wait.
func (e *Engine) next(now time.Time) (*checker, time.Duration) {
	for len(e.queue) > 0 {
		c := e.queue[0]
		// A reserved slot of the per-target spacing is kept exactly; other
		// probes may start up to the slack early.
		if early := c.due.Sub(now); early > 0 && (c.reserved || early > slack(c.chk.interval)) {
			return nil, early
		}
		heap.Pop(&e.queue)
		if sp := e.cfg.MinTargetInterval; sp > 0 && !c.reserved && c.chk.targetKey != "" {
			key := c.chk.targetKey
			if free, ok := e.targets[key]; ok && free.After(now) {
				c.reserved = true
				e.targets[key] = free.Add(sp)
				e.stats.Deferred++
				c.due = free
				heap.Push(&e.queue, c)
				continue
			}
			e.targets[key] = now.Add(sp)
			e.sweepTargets(now)
		}
		c.reserved = false
		return c, 0
	}
	return nil, time.Hour
}

// sweepTargets forgets past spacing slots once the table has grown well
// beyond the number of checks.
func (e *Engine) sweepTargets(now time.Time) {
	if len(e.targets) <= 2*len(e.checks)+1024 {
		return
	}
	for k, t := range e.targets {
		if !t.After(now) {
			delete(e.targets, k)
		}
	}
}
