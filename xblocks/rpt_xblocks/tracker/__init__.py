"""rpt_prereq_tracker: the Authorized User prerequisite and case-log tracker."""
