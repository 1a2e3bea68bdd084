"""人员与值班: the contractor's people, on-site posts, duty rosters, major-event readiness, trainings (ST-, DP-)."""
