// cronnext: the real robfig/cron v3 (the library Kubernetes' CronJob controller uses) answering
// "what are the next N activations of SPEC after FROM, in LOCATION?" for the model's oracle tests.
//
// One JSON object per line on stdin: {"spec": "...", "from": <unix seconds>, "n": N, "loc": "UTC"}.
// One JSON object per line on stdout: {"times": [unix seconds...]} or {"error": "..."}.
// A zero time from Next (no activation within five years) ends the list with "zero": true.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"time"

	"github.com/robfig/cron/v3"
)

type query struct {
	Spec string `json:"spec"`
	From int64  `json:"from"`
	N    int    `json:"n"`
	Loc  string `json:"loc"`
}

type answer struct {
	Times []int64 `json:"times"`
	Zero  bool    `json:"zero,omitempty"`
	Error string  `json:"error,omitempty"`
}

func solve(q query) (a answer) {
	defer func() {
		// ParseStandard panics on a few inputs (a TZ= prefix with no space); report it.
		if r := recover(); r != nil {
			a = answer{Error: "panic"}
		}
	}()
	loc, err := time.LoadLocation(q.Loc)
	if err != nil {
		return answer{Error: "bad location: " + err.Error()}
	}
	sched, err := cron.ParseStandard(q.Spec)
	if err != nil {
		return answer{Error: err.Error()}
	}
	a.Times = []int64{}
	t := time.Unix(q.From, 0).In(loc)
	for i := 0; i < q.N; i++ {
		t = sched.Next(t)
		if t.IsZero() {
			a.Zero = true
			break
		}
		a.Times = append(a.Times, t.Unix())
	}
	return a
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var q query
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			_ = out.Encode(answer{Error: "bad query: " + err.Error()})
			continue
		}
		_ = out.Encode(solve(q))
	}
}
