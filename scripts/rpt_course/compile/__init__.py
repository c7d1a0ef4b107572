"""Each kind of course component compiled from its author files (lessons, quizzes, walkthroughs,
figures, trackers), and the course model with its rendered pages written as OLX files (olx.py)."""
