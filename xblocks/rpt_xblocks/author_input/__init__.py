"""Reading what authors write, shared by the blocks (OLX, Studio, requirement-set files) and the
authoring command (rpt_course): YAML with the line of every value (`yaml_source`), checks against a
JSON Schema (`schema_check`), characters XML cannot store (`xml_characters`), and the one way a
mistake is reported (`problems.Problem`: `file:line: what — how to fix it`).

It imports nothing from rpt_course: the blocks install and run without the authoring command.
"""
