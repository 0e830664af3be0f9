// The shortlist board: drag and drop between stages. (Being built.)
