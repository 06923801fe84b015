"""hoso — the electronic student-records system of a province's education sector."""
