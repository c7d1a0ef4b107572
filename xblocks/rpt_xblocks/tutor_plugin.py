"""The Tutor plugin `rpt-au`: installs this package into the Open edX image, migrates its records app
and imports a built course archive.

Contract (Tutor 20 and later, plugin API v1; loaded by Tutor only, through the `tutor.plugin.v1`
entry point in setup.py, after `tutor plugins enable rpt-au` — the LMS and Studio never import it):

- settings `RPT_AU_VERSION` (this package's version) and `RPT_AU_PIP_REQUIREMENT` (what the image
  build installs, `rpt-au==<version>` by default; set a Git URL or a wheel's URL with
  `tutor config save --set RPT_AU_PIP_REQUIREMENT=...`);
- the patch `openedx-dockerfile-post-python-requirements`: `tutor images build openedx` installs
  `RPT_AU_PIP_REQUIREMENT` into the image the LMS, Studio and their workers run;
- an init task in the lms container, `./manage.py lms migrate rpt_records`, run by
  `tutor local do init` (and so by `tutor local launch`) after the platform's own migrate; it
  changes nothing when that migrate already created the tables;
- the job `tutor local do importrptcourse ARCHIVE`: in the cms container, fetch ARCHIVE (a path
  inside the container or an http(s) URL), check it, unpack it, find its one `course.xml` and run
  `./manage.py cms import` on that folder, as Tutor's own `importdemocourse` does for a Git
  repository. The check is `rpt-course validate` when the image has the authoring command
  (`rpt-au[authoring]`); without it (the usual lean image) only that the archive holds nothing but
  files and folders inside one root (Python's tarfile "data" filter). A bad archive stops the job with a
  message and a non-zero status, before anything is imported.
"""
from __future__ import annotations

import shlex
from importlib import metadata

import click
from tutor import hooks

DISTRIBUTION = "rpt-au"
VERSION = metadata.version(DISTRIBUTION)
RECORDS_APP_LABEL = "rpt_records"  # rpt_xblocks.records.apps.RecordsConfig.label (that module imports Django)

hooks.Filters.CONFIG_DEFAULTS.add_items([
    ("RPT_AU_VERSION", VERSION),
    ("RPT_AU_PIP_REQUIREMENT", f"{DISTRIBUTION}=={VERSION}"),
])

# A Jinja filter for the patch below: the requirement, whatever an administrator sets, is one shell word.
hooks.Filters.ENV_TEMPLATE_FILTERS.add_item(("rpt_au_shell_word", shlex.quote))

# Rendered by Tutor's Jinja environment into env/build/openedx/Dockerfile, in the stage that
# installs the platform's Python requirements ($PIP_COMMAND is that stage's pip).
hooks.Filters.ENV_PATCHES.add_item((
    "openedx-dockerfile-post-python-requirements",
    "# rpt-au: the XBlocks and their records app (Tutor plugin rpt-au)\n"
    "RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared \\\n"
    "    $PIP_COMMAND install {{ RPT_AU_PIP_REQUIREMENT|rpt_au_shell_word }}",
))

MIGRATE_RECORDS = f"./manage.py lms migrate {RECORDS_APP_LABEL}"
# After the platform's own init tasks (default priority), whose migrate normally did this already.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", MIGRATE_RECORDS), priority=hooks.priorities.LOW)


def import_course_script(archive: str) -> str:
    """The shell script that imports the course archive `archive` (path or http(s) URL) in the cms
    container. Tutor renders it with Jinja before running it, so the argument is kept out of Jinja's
    reach with a raw block, and out of the shell's by quoting."""
    if "endraw" in archive:
        raise click.BadParameter("must not contain 'endraw'", param_hint="ARCHIVE")
    source = "{% raw %}" + shlex.quote(archive) + "{% endraw %}"
    return f"""
archive={source}
workdir="$(mktemp -d)"
case "$archive" in
    http://*|https://*)
        echo "INFO: Downloading $archive"
        python -c 'import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=60) as reply, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(reply, out)' "$archive" "$workdir/course.tar.gz"
        ;;
    *)
        if [ ! -f "$archive" ] ; then
            echo "ERROR: No file $archive in the cms container. Copy the archive into \\$(tutor config printroot)/data/cms-job/ and give /openedx/data/<name>, or give an http(s) URL."
            exit 1
        fi
        cp "$archive" "$workdir/course.tar.gz"
        ;;
esac
if python -c 'import rpt_course.cli' 2>/dev/null ; then
    echo "INFO: Checking the archive with rpt-course validate"
    if ! python -m rpt_course.cli validate "$workdir/course.tar.gz" ; then
        echo "ERROR: rpt-course validate found mistakes in the archive (above); nothing was imported."
        exit 1
    fi
else
    echo "INFO: This image has no authoring command (rpt-au[authoring]): checking only that the archive unpacks safely. Run rpt-course validate ARCHIVE where it is installed for the full check."
fi
mkdir "$workdir/unpacked"
python -c 'import sys, tarfile
with tarfile.open(sys.argv[1], "r:gz") as archive:
    members = archive.getmembers()
    odd = [m.name for m in members if not (m.isfile() or m.isdir())]
    if odd:
        sys.exit("ERROR: The archive holds links or special files, which a course archive does not: " + ", ".join(odd[:5]))
    try:
        archive.extractall(sys.argv[2], members=members, filter="data")
    except tarfile.FilterError as refused:
        sys.exit("ERROR: The archive would write outside its folder: %s" % refused)' "$workdir/course.tar.gz" "$workdir/unpacked"
course_xml_count="$(find "$workdir/unpacked" -name course.xml | wc -l)"
if [ "$course_xml_count" -ne 1 ] ; then
    echo "ERROR: The archive holds $course_xml_count course.xml files; a course archive (rpt-course build) holds one."
    exit 1
fi
course_root="$(dirname "$(find "$workdir/unpacked" -name course.xml)")"
echo "INFO: Importing the course at $course_root"
python ./manage.py cms import ../data "$course_root"
rm -rf "$workdir"
"""


@click.command(name="importrptcourse", help=(
    "Import a course archive built by `rpt-course build` (a .tar.gz) into Studio. ARCHIVE is a path "
    "inside the cms container (copy the file into $(tutor config printroot)/data/cms-job/ and give "
    "/openedx/data/NAME.tar.gz) or an http(s) URL."))
@click.argument("archive")
def import_rpt_course(archive: str):
    yield ("cms", import_course_script(archive))


hooks.Filters.CLI_DO_COMMANDS.add_item(import_rpt_course)
