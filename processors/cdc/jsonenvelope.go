package cdc

import "errors"

// jsonEnvelope is Debezium's envelope (the payload) as read from JSON.
type jsonEnvelope[R any] struct {
	before, after         *R
	op, lsn, srcTs, envTs scalar
}

// decodeJSON reads a JSON record value: {"schema":..,"payload":envelope}
// (JsonConverter with schemas.enable=true) or the envelope itself.
func decodeJSON[R any, PR rowFields[R]](value []byte) (change[R], error) {
	r := &jsonReader{data: value}
	var env jsonEnvelope[R]
	var schema, payload []byte
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			break
		}
		switch string(k) {
		case "schema":
			schema, err = r.raw()
		case "payload":
			payload, err = r.raw()
		default:
			err = envelopeMember[R, PR](r, &env, k)
		}
		if err == nil {
			ok, err = r.more()
		}
	}
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return change[R]{}, jsonError(err)
	}
	if schema != nil && payload != nil {
		if isJSONNull(payload) {
			return change[R]{}, ErrTombstone
		}
		env = jsonEnvelope[R]{}
		if err := readEnvelope[R, PR](&jsonReader{data: payload}, &env); err != nil {
			return change[R]{}, jsonError(err)
		}
	} else {
		schema = nil
	}
	return change[R]{
		op: env.op, before: env.before, after: env.after,
		lsn: env.lsn, srcTs: env.srcTs, envTs: env.envTs,
		shape: ReasonBadJSON, connectSchema: schema,
	}, nil
}

// raw checks and skips a value and returns its text.
func (r *jsonReader) raw() ([]byte, error) {
	r.space()
	start := r.pos
	if err := r.skip(0); err != nil {
		return nil, err
	}
	return r.data[start:r.pos], nil
}

// readEnvelope reads an envelope object.
func readEnvelope[R any, PR rowFields[R]](r *jsonReader, env *jsonEnvelope[R]) error {
	if r.peek() != '{' {
		return errorf(ReasonBadJSON, "payload", "payload is not an object")
	}
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			return err
		}
		if err = envelopeMember[R, PR](r, env, k); err != nil {
			return err
		}
		ok, err = r.more()
	}
	return err
}

// envelopeMember reads the value of the envelope member named k.
func envelopeMember[R any, PR rowFields[R]](r *jsonReader, env *jsonEnvelope[R], k []byte) (err error) {
	switch string(k) {
	case "before":
		env.before, err = readRow[R, PR](r, "before")
	case "after":
		env.after, err = readRow[R, PR](r, "after")
	case "op":
		env.op, err = r.scalar()
	case "ts_ms":
		env.envTs, err = r.scalar()
	case "source":
		if r.null() {
			return nil
		}
		if r.peek() != '{' {
			return errorf(ReasonBadJSON, "source", "source is not an object")
		}
		ok, err := r.enter()
		for ok && err == nil {
			var sk []byte
			if sk, err = r.key(); err != nil {
				return err
			}
			switch string(sk) {
			case "lsn":
				env.lsn, err = r.scalar()
			case "ts_ms":
				env.srcTs, err = r.scalar()
			default:
				err = r.skip(0)
			}
			if err == nil {
				ok, err = r.more()
			}
		}
		return err
	default:
		err = r.skip(0)
	}
	return err
}

// readRow reads a before/after image: null or an object of columns.
func readRow[R any, PR rowFields[R]](r *jsonReader, name string) (*R, error) {
	if r.null() {
		return nil, nil
	}
	if r.peek() != '{' {
		return nil, errorf(ReasonBadJSON, name, "%s is not an object", name)
	}
	row := new(R)
	ok, err := r.enter()
	for ok && err == nil {
		var k []byte
		if k, err = r.key(); err != nil {
			return nil, err
		}
		if f := PR(row).field(k); f != nil {
			*f, err = r.scalar()
		} else {
			err = r.skip(0)
		}
		if err == nil {
			ok, err = r.more()
		}
	}
	return row, err
}

// jsonError makes a bad_json *Error of a syntax error; type errors are
// already *Error naming their field.
func jsonError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(ReasonBadJSON, "", err)
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isJSONNull reports whether b is the literal null, possibly padded.
func isJSONNull(b []byte) bool {
	i, j := 0, len(b)
	for i < j && isJSONSpace(b[i]) {
		i++
	}
	for j > i && isJSONSpace(b[j-1]) {
		j--
	}
	return string(b[i:j]) == "null"
}

// rowFields is implemented by the row types: it returns the field a
// column name decodes into, or nil for a column the decoder ignores.
type rowFields[R any] interface {
	*R
	field(name []byte) *scalar
}

func (f *txnFields) field(name []byte) *scalar {
	switch string(name) {
	case "id":
		return &f.ID
	case "account_id":
		return &f.AccountID
	case "user_id":
		return &f.UserID
	case "direction":
		return &f.Direction
	case "type":
		return &f.Type
	case "status":
		return &f.Status
	case "amount_minor":
		return &f.AmountMinor
	case "currency":
		return &f.Currency
	case "merchant_name":
		return &f.MerchantName
	case "merchant_id":
		return &f.MerchantID
	case "mcc":
		return &f.MCC
	case "channel":
		return &f.Channel
	case "budget_id":
		return &f.BudgetID
	case "posted_at":
		return &f.PostedAt
	case "updated_at":
		return &f.UpdatedAt
	}
	return nil
}

func (f *accountFields) field(name []byte) *scalar {
	switch string(name) {
	case "id":
		return &f.ID
	case "user_id":
		return &f.UserID
	case "type":
		return &f.Type
	case "currency":
		return &f.Currency
	case "status":
		return &f.Status
	case "goal_id":
		return &f.GoalID
	}
	return nil
}
