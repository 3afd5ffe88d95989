// Package accountjoin resolves the user of transactions whose CDC row has no
// user_id, from core banking's accounts table. State is kept per account id:
// the latest account row, and the transactions that arrived before it, which
// wait and are released when the account arrives. At most MaxWaiting wait
// per account: the caller sends the next ones to the DLQ (Full), so the
// value stays bounded when an account row never comes.
package accountjoin

import "finstream/processors/cdc"

// State is the finstream-accounts table value for one account id.
type State struct {
	Account *cdc.Account    `json:"account,omitempty"`
	Pos     cdc.Position    `json:"pos"`
	Pending []cdc.TxnChange `json:"pending,omitempty"`
	// Releases are the last account changes that released waiting
	// transactions (at most keepReleases). A crash after the state was
	// stored but before the released transactions were produced redelivers
	// those changes; each redelivered change releases again what it and
	// every later change released (downstream is idempotent by position), so
	// a waiting transaction is never lost.
	Releases []Release `json:"releases,omitempty"`
}

// Release is what one account change released.
type Release struct {
	Pos  cdc.Position    `json:"pos"`
	Txns []cdc.TxnChange `json:"txns"`
}

// keepReleases bounds Releases: goka commits a partition's offsets about
// every second, so a redelivery after a crash reaches back only over the
// changes of that window.
const keepReleases = 16

// MaxWaiting bounds the transactions waiting for one account.
const MaxWaiting = 256

// Full reports whether a transaction arriving now could not wait: the
// account is unknown and MaxWaiting transactions wait already.
func (s *State) Full() bool { return s.UserID() == "" && len(s.Pending) >= MaxWaiting }

// UserID is the account's user, "" while unknown.
func (s *State) UserID() string {
	if s.Account == nil {
		return ""
	}
	return s.Account.UserID
}

// ApplyAccount records a change of the account row and returns the waiting
// transactions it releases, with their user id filled in. A change at or
// before the position already applied is ignored. A delete keeps the last
// known user: transactions of a closed account still belong to its user.
func (s *State) ApplyAccount(ch cdc.AccountChange) (released []cdc.TxnChange) {
	if s.Account != nil && !ch.Pos.After(s.Pos) {
		// A redelivery: release again what this and later changes released.
		for _, r := range s.Releases {
			if !ch.Pos.After(r.Pos) {
				released = append(released, r.Txns...)
			}
		}
		return released
	}
	s.Pos = ch.Pos
	if ch.Deleted && s.Account != nil {
		return nil
	}
	if !ch.Deleted || ch.Row.UserID != "" {
		row := ch.Row
		s.Account = &row
	}
	uid := s.UserID()
	if uid == "" {
		return nil
	}
	released = s.Pending
	s.Pending = nil
	for i := range released {
		released[i].Row.UserID = uid
	}
	if len(released) > 0 {
		s.Releases = append(s.Releases, Release{Pos: ch.Pos, Txns: released})
		if len(s.Releases) > keepReleases {
			s.Releases = s.Releases[len(s.Releases)-keepReleases:]
		}
	}
	return released
}

// ApplyTxn resolves a transaction's user. It returns the change with its
// user id and true when the account is known; otherwise the change waits in
// the state and ApplyTxn returns false (check Full first).
func (s *State) ApplyTxn(ch cdc.TxnChange) (cdc.TxnChange, bool) {
	if uid := s.UserID(); uid != "" {
		ch.Row.UserID = uid
		return ch, true
	}
	s.Pending = append(s.Pending, ch)
	return ch, false
}
