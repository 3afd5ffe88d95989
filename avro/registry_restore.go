package avro

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// restore loads the log's subject versions into srfake so that each keeps
// its id and version, and srfake's next id is above all of them.
//
// srfake's SeedSchema places a schema at a given subject, version and id,
// but only once per id (it panics on a second use). A version that shares
// its id with an earlier one (the same schema under two subjects, or
// re-registered after a delete) is placed with RegisterSchema instead, which
// reuses the id of an identical schema and takes the subject's next version
// number; so each subject is restored in version order, and a number the log
// has no record of (permanently deleted) is burnt by registering and
// permanently deleting a filler version, which takes no id. Versions wait for
// the versions they reference.
func (r *Registry) restore(ctx context.Context, state map[subjectVersion]*logValue) error {
	queues := make(map[string][]*logValue)
	for _, v := range state {
		queues[v.Subject] = append(queues[v.Subject], v)
		r.durable[subjectVersion{v.Subject, v.Version}] = durable{id: v.ID, deleted: v.Deleted}
	}
	subjects := make([]string, 0, len(queues))
	for s, q := range queues {
		slices.SortFunc(q, func(a, b *logValue) int { return cmp.Compare(a.Version, b.Version) })
		subjects = append(subjects, s)
	}
	slices.Sort(subjects)

	seeded := make(map[int]bool)
	placed := make(map[subjectVersion]bool)
	for progress := true; progress; {
		progress = false
		for _, s := range subjects {
			q := queues[s]
			for len(q) > 0 && refsPlaced(q[0], placed) {
				if err := r.place(ctx, q[0], seeded, placed); err != nil {
					return fmt.Errorf("subject %q version %d (id %d): %w", q[0].Subject, q[0].Version, q[0].ID, err)
				}
				placed[subjectVersion{s, q[0].Version}] = true
				q = q[1:]
				progress = true
			}
			queues[s] = q
		}
	}
	for _, s := range subjects {
		if q := queues[s]; len(q) > 0 {
			return fmt.Errorf("subject %q version %d (id %d): references %v are not in the log", s, q[0].Version, q[0].ID, q[0].References)
		}
	}
	return nil
}

func refsPlaced(v *logValue, placed map[subjectVersion]bool) bool {
	for _, ref := range v.References {
		if !placed[subjectVersion{ref.Subject, ref.Version}] {
			return false
		}
	}
	return true
}

func (r *Registry) place(ctx context.Context, v *logValue, seeded map[int]bool, placed map[subjectVersion]bool) error {
	sch := sr.Schema{
		Schema: v.Schema, Type: v.SchemaType, References: v.References,
		SchemaMetadata: v.Metadata, SchemaRuleSet: v.RuleSet,
	}
	if !seeded[v.ID] {
		if err := seed(r.fake, v.Subject, v.Version, v.ID, sch); err != nil {
			return err
		}
		seeded[v.ID] = true
	} else if err := r.placeReused(ctx, v, sch, placed); err != nil {
		return err
	}
	if v.Deleted {
		if res := r.internal(ctx, http.MethodDelete, versionPath(v.Subject, v.Version)); res.Code != http.StatusOK {
			return fmt.Errorf("soft delete: status %d: %s", res.Code, res.Body.String())
		}
	}
	return nil
}

// placeReused places a version whose id is already seeded.
func (r *Registry) placeReused(ctx context.Context, v *logValue, sch sr.Schema, placed map[subjectVersion]bool) error {
	for {
		id, version, err := r.fake.RegisterSchema(v.Subject, sch)
		switch {
		case err != nil:
			return err
		case version == v.Version && id == v.ID:
			return nil
		case version < v.Version && !placed[subjectVersion{v.Subject, version}]:
			// A filler for a number the log does not hold: burn it.
			if res := r.internal(ctx, http.MethodDelete, versionPath(v.Subject, version)+"?permanent=true"); res.Code != http.StatusOK {
				return fmt.Errorf("burn version %d: status %d: %s", version, res.Code, res.Body.String())
			}
		default:
			return fmt.Errorf("registry placed it as version %d with id %d", version, id)
		}
	}
}

// seed is srfake's SeedSchema, with its panics (a taken id or slot, an
// invalid schema or reference) turned into errors.
func seed(fake *srfake.Registry, subject string, version, id int, sch sr.Schema) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("seed: %v", p)
		}
	}()
	fake.SeedSchema(subject, version, id, sch)
	return nil
}
