// Live updates: see live.go. (Being built.)
