package avro

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"
)

// A registry behind RequireBasicAuth answers its clients with the right
// credentials and refuses the others with Confluent's 401.
func TestRequireBasicAuth(t *testing.T) {
	inner := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
		_, _ = w.Write([]byte(`["finstream.test-value"]`))
	})
	srv := httptest.NewServer(RequireBasicAuth(inner, "reg", "s3cret"))
	defer srv.Close()
	for _, c := range []struct {
		name string
		opts []sr.ClientOpt
		ok   bool
	}{
		{"right credentials", []sr.ClientOpt{sr.BasicAuth("reg", "s3cret")}, true},
		{"wrong password", []sr.ClientOpt{sr.BasicAuth("reg", "guess")}, false},
		{"no credentials", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl, err := sr.NewClient(append([]sr.ClientOpt{sr.URLs(srv.URL)}, c.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.Subjects(context.Background())
			var re *sr.ResponseError
			switch {
			case c.ok && err != nil:
				t.Fatalf("Subjects: %v", err)
			case !c.ok && (!errors.As(err, &re) || re.StatusCode != http.StatusUnauthorized || re.ErrorCode != codeUnauthorized):
				t.Fatalf("Subjects: %v, want a 401 with error code %d", err, codeUnauthorized)
			}
		})
	}
}
