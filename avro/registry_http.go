package avro

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"

	"github.com/linkedin/goavro/v2"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"
)

// maxSchemaBody is the largest registration body accepted, as in srfake.
const maxSchemaBody = 1 << 20

// Confluent error codes used by the writes this package adds.
const (
	codeInvalidSchema = 42201
	codeStoreError    = 50001
)

// register serves POST /subjects/{subject}/versions: srfake registers (or
// finds) the schema, then the subject version is written to the log unless
// the log already holds it; only then is the id returned. If the write
// fails, a version created by this request is removed again.
func (r *Registry) register(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxSchemaBody))
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, codeInvalidSchema, "read request: "+err.Error())
		return
	}
	if err := validateAvro(body); err != nil {
		writeError(w, http.StatusUnprocessableEntity, codeInvalidSchema, "Invalid schema: "+err.Error())
		return
	}
	subject := req.PathValue("subject")

	r.mu.Lock()
	defer r.mu.Unlock()
	res := r.forward(req, body)
	if res.Code != http.StatusOK {
		copyResponse(w, res)
		return
	}
	var out struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &out); err != nil {
		writeError(w, http.StatusInternalServerError, codeStoreError, "registry answer: "+err.Error())
		return
	}
	ss, err := r.registered(req.Context(), subject, out.ID)
	if err != nil {
		writeError(w, http.StatusInternalServerError, codeStoreError, err.Error())
		return
	}
	sv := subjectVersion{subject, ss.Version}
	if d, ok := r.durable[sv]; ok && d == (durable{id: ss.ID}) {
		copyResponse(w, res) // already in the log
		return
	}
	if err := r.writeSchema(req.Context(), ss, false); err != nil {
		r.log.Error("registration not persisted, rolling back", "subject", subject, "version", ss.Version, "id", ss.ID, "err", err)
		if rb := r.internal(req.Context(), http.MethodDelete, versionPath(subject, ss.Version)+"?permanent=true"); rb.Code != http.StatusOK {
			r.log.Error("rollback failed", "subject", subject, "version", ss.Version, "status", rb.Code, "body", rb.Body.String())
		}
		writeError(w, http.StatusInternalServerError, codeStoreError, "persist registration: "+err.Error())
		return
	}
	r.log.Info("schema registered", "subject", subject, "version", ss.Version, "id", ss.ID)
	copyResponse(w, res)
}

// registered returns the subject version srfake holds for id under subject.
func (r *Registry) registered(ctx context.Context, subject string, id int) (sr.SubjectSchema, error) {
	res := r.internal(ctx, http.MethodGet, "/schemas/ids/"+strconv.Itoa(id)+"/versions?subject="+url.QueryEscape(subject))
	var usages []sr.SubjectVersion
	if res.Code != http.StatusOK || json.Unmarshal(res.Body.Bytes(), &usages) != nil {
		return sr.SubjectSchema{}, fmt.Errorf("find version of id %d under %q: status %d", id, subject, res.Code)
	}
	version := 0
	for _, u := range usages {
		if u.Subject == subject && u.Version > version {
			version = u.Version
		}
	}
	ss, ok := r.fake.GetSchema(subject, version)
	if !ok {
		return sr.SubjectSchema{}, fmt.Errorf("find version of id %d under %q: not found", id, subject)
	}
	return ss, nil
}

// deleteVersion serves DELETE /subjects/{subject}/versions/{version}.
func (r *Registry) deleteVersion(w http.ResponseWriter, req *http.Request) {
	subject := req.PathValue("subject")
	permanent := req.URL.Query().Get("permanent") == "true"
	version, err := strconv.Atoi(req.PathValue("version"))
	if err != nil {
		writeError(w, http.StatusBadRequest, sr.ErrInvalidVersion.Code, "invalid version "+strconv.Quote(req.PathValue("version")))
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	before, found := r.schemaAt(req.Context(), subject, version)
	res := r.forward(req, nil)
	if res.Code != http.StatusOK || !found {
		copyResponse(w, res)
		return
	}
	if err := r.writeDelete(req.Context(), []sr.SubjectSchema{before}, permanent); err != nil {
		writeError(w, http.StatusInternalServerError, codeStoreError, "deleted in memory but not persisted (a restart undoes it): "+err.Error())
		return
	}
	copyResponse(w, res)
}

// deleteSubject serves DELETE /subjects/{subject}.
func (r *Registry) deleteSubject(w http.ResponseWriter, req *http.Request) {
	subject := req.PathValue("subject")
	permanent := req.URL.Query().Get("permanent") == "true"
	r.mu.Lock()
	defer r.mu.Unlock()
	var before []sr.SubjectSchema
	if res := r.internal(req.Context(), http.MethodGet, "/subjects/"+url.PathEscape(subject)+"/versions?deleted=true"); res.Code == http.StatusOK {
		var versions []int
		_ = json.Unmarshal(res.Body.Bytes(), &versions)
		for _, v := range versions {
			if ss, ok := r.schemaAt(req.Context(), subject, v); ok {
				before = append(before, ss)
			}
		}
	}
	res := r.forward(req, nil)
	if res.Code != http.StatusOK {
		copyResponse(w, res)
		return
	}
	if err := r.writeDelete(req.Context(), before, permanent); err != nil {
		writeError(w, http.StatusInternalServerError, codeStoreError, "deleted in memory but not persisted (a restart undoes it): "+err.Error())
		return
	}
	copyResponse(w, res)
}

// schemaAt returns a subject version, soft-deleted or not.
func (r *Registry) schemaAt(ctx context.Context, subject string, version int) (sr.SubjectSchema, bool) {
	res := r.internal(ctx, http.MethodGet, versionPath(subject, version)+"?deleted=true")
	var ss sr.SubjectSchema
	if res.Code != http.StatusOK || json.Unmarshal(res.Body.Bytes(), &ss) != nil {
		return sr.SubjectSchema{}, false
	}
	return ss, true
}

func (r *Registry) writeSchema(ctx context.Context, ss sr.SubjectSchema, deleted bool) error {
	rec, err := schemaRecord(ss, deleted)
	if err != nil {
		return err
	}
	if err := r.write(ctx, rec); err != nil {
		return err
	}
	r.durable[subjectVersion{ss.Subject, ss.Version}] = durable{id: ss.ID, deleted: deleted}
	return nil
}

// writeDelete logs a soft delete (the value again, deleted) or a permanent
// one (a tombstone) of every version in vs.
func (r *Registry) writeDelete(ctx context.Context, vs []sr.SubjectSchema, permanent bool) error {
	recs := make([]*kgo.Record, 0, len(vs))
	for _, ss := range vs {
		var rec *kgo.Record
		var err error
		if permanent {
			rec, err = tombstoneRecord(ss.Subject, ss.Version)
		} else {
			rec, err = schemaRecord(ss, true)
		}
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	if err := r.write(ctx, recs...); err != nil {
		return err
	}
	for _, ss := range vs {
		sv := subjectVersion{ss.Subject, ss.Version}
		if permanent {
			delete(r.durable, sv)
		} else {
			r.durable[sv] = durable{id: ss.ID, deleted: true}
		}
	}
	return nil
}

// forward hands req (with body, already read) to srfake and records the
// answer, so that the caller decides what the client sees.
func (r *Registry) forward(req *http.Request, body []byte) *httptest.ResponseRecorder {
	in := req.Clone(req.Context())
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.ContentLength = int64(len(body))
	res := httptest.NewRecorder()
	r.api.ServeHTTP(res, in)
	return res
}

// internal sends a request of this package's own to srfake.
func (r *Registry) internal(ctx context.Context, method, target string) *httptest.ResponseRecorder {
	res := httptest.NewRecorder()
	r.api.ServeHTTP(res, httptest.NewRequestWithContext(ctx, method, target, nil))
	return res
}

func versionPath(subject string, version int) string {
	return "/subjects/" + url.PathEscape(subject) + "/versions/" + strconv.Itoa(version)
}

func copyResponse(w http.ResponseWriter, res *httptest.ResponseRecorder) {
	for k, v := range res.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(res.Code)
	_, _ = w.Write(res.Body.Bytes())
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error_code": code, "message": msg})
}

// validateAvro rejects an Avro schema goavro cannot parse, as Confluent
// Schema Registry does (srfake only checks that it is JSON). Schemas with
// references, other schema types and malformed bodies are left to srfake.
func validateAvro(body []byte) error {
	var s sr.Schema
	if json.Unmarshal(body, &s) != nil || s.Type != sr.TypeAvro || len(s.References) > 0 {
		return nil
	}
	if _, err := goavro.NewCodec(s.Schema); err != nil {
		return err
	}
	return nil
}
