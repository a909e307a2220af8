package server

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/dxlocal/dxlocal/internal/snapshot"
	"github.com/dxlocal/dxlocal/internal/store"
)

// loadState restores the state file into st when the file exists. A file that cannot be read,
// is not a state, or does not fit the catalog is an error of the start.
func loadState(st *store.Store, path string) error {
	if path == "" {
		return nil
	}
	state, err := snapshot.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // the first run: the file is written at the first stop or save
	}
	if err == nil {
		err = st.Restore(state)
	}
	if err != nil {
		return fmt.Errorf("cannot load state file %s: %v", path, err)
	}
	return nil
}
