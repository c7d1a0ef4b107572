"""rpt-au: Open edX XBlocks and an authoring command for radiopharmaceutical-therapy training."""
from setuptools import find_packages, setup

# `pip install "rpt-au[authoring]"`: the build (Markdown with pymdown's extensions, olxcleaner's course
# check) and the preview (xblock-sdk's workbench). The LMS and Studio need none of it.
AUTHORING = [
    "Markdown>=3.6",
    "pymdown-extensions>=10",
    "olxcleaner>=0.3",
    "xblock-sdk>=0.15",
    "setuptools<81",  # xblock-sdk's file-system service still imports pkg_resources
    "django-static-mathjax>=3.2",  # MathJax 3 served by the preview itself (no network at run time)
]

# Two source roots, one distribution: xblocks/ holds the XBlocks, scripts/ the authoring command.
PACKAGES = find_packages("xblocks", include=["rpt_xblocks*"]) + find_packages("scripts", include=["rpt_course*"])

setup(
    name="rpt-au",
    version="0.1.0",
    description=(
        "XBlocks and a course-authoring command for training Authorized Users "
        "of radiopharmaceutical therapy (10 CFR Part 35) on Open edX"
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    # Python 3.11 is Ulmo's (Tutor 21's image); 3.12 is Verawood's. README "Supported releases".
    python_requires=">=3.11",
    package_dir={
        **{p: "xblocks/" + p.replace(".", "/") for p in PACKAGES if p.startswith("rpt_xblocks")},
        **{p: "scripts/" + p.replace(".", "/") for p in PACKAGES if p.startswith("rpt_course")},
    },
    packages=PACKAGES,
    package_data={
        "rpt_course": ["schema/*.json", "preview/templates/rpt_preview/*.html", "preview/static/rpt_preview/*"],
        "rpt_xblocks": ["units.txt", "static/*", "quiz/static/*", "quiz/scenarios/*", "dosimetry/static/*", "dosimetry/scenarios/*",
                        "tracker/static/*", "tracker/scenarios/*", "tracker/requirement_sets/*", "tracker/*.json"],
    },
    # What the blocks and the records app import in the LMS and Studio, and nothing else. Each range holds
    # the version every supported release pins (requirements/release-*.txt), so installing rpt-au into
    # an Open edX image moves none of the platform's pins (tests/releases checks it).
    install_requires=[
        "XBlock>=5.2,<7",  # Ulmo pins 5.3.0 (5.2.0 at its code cut)
        "edx-opaque-keys>=3",  # course_links: the course of a usage key (Ulmo pins 3.0.0)
        "Django>=5.2",  # the records app (rpt_xblocks.records); the platform brings its own (Ulmo 5.2.10, Verawood 5.2.13)
        "lxml>=5.3",  # Ulmo pins 5.3.2
        "PyYAML>=6",  # the tracker's requirement sets
        "bleach[css]>=6.1",  # sanitizing author HTML (Ulmo pins 6.3.0)
        "jsonschema>=4.20",  # the tracker's requirement-set schema (Ulmo pins 4.26.0)
        "Pint>=0.24",  # units of the walkthroughs' quantities (not in the platform)
        "simpleeval>=1.0",  # the walkthroughs' formulas (Ulmo pins 1.0.3)
        "MarkupSafe>=2.1",  # escaping in the blocks' HTML (XBlock brings it too)
        "WebOb>=1.8",  # handler requests and replies (XBlock brings it too)
        "web-fragments>=2",  # the blocks' fragments (XBlock brings it too)
    ],
    extras_require={
        # `rpt-course build | validate | preview`: what the authoring command adds to the blocks' needs.
        "authoring": AUTHORING,
        # authoring + the test tools (`make test`).
        "dev": AUTHORING + [
            "pytest>=8",
            "playwright>=1.45",
            "axe-playwright-python>=0.1.7",
            "radioactivedecay>=0.6",  # ICRP-107 data: tests check our nuclide table against it
            "hypothesis>=6.100",  # property tests of the physics, and fuzzing
            "atheris>=2.3",  # coverage-guided fuzzing of the archive, YAML, formula and answer parsers
            "xblock-poll>=1.14",  # benchmarks: our blocks measured beside xblock-poll on the same runtime
            "xblock-drag-and-drop-v2>=5.1",  # benchmarks: its scored do_attempt beside our handlers, same database
            "mysqlclient>=2.2",  # tests/concurrency: the preview on MariaDB (needs libmariadb-dev, pkg-config)
            "gunicorn>=23",  # tests/concurrency: the preview served by several worker processes, as the LMS is
            "tutor>=20",  # tests/tutor: the Tutor plugin rendered by Tutor's own commands (no Docker)
        ],
    },
    entry_points={
        "console_scripts": ["rpt-course = rpt_course.launcher:main"],
        # The records app joins the LMS and Studio as a platform plugin, so their `migrate` creates its tables.
        "lms.djangoapp": ["rpt_records = rpt_xblocks.records.apps:RecordsConfig"],
        "cms.djangoapp": ["rpt_records = rpt_xblocks.records.apps:RecordsConfig"],
        # `tutor plugins enable rpt-au`: image patch, records migration, `tutor local do importrptcourse`.
        "tutor.plugin.v1": ["rpt-au = rpt_xblocks.tutor_plugin"],
        "xblock.v1": [
            "rpt_quiz = rpt_xblocks.quiz.block:QuizBlock",
            "rpt_dosimetry = rpt_xblocks.dosimetry.block:WalkthroughBlock",
            "rpt_prereq_tracker = rpt_xblocks.tracker.block:TrackerBlock",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Intended Audience :: Education",
    ],
)
