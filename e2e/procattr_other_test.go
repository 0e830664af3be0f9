//go:build !linux

package e2e

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

func dieWithTest(*exec.Cmd) {}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
