"""rpt_course: turns the YAML + Markdown in course_content/ into an Open edX OLX archive.

Data flows one way: content files -> validated model (content.py) -> OLX files (compile/)
-> checks (checks/, olxcleaner) -> deterministic archive (archive/).

    rpt_course/
      cli.py              `rpt-course build | validate | preview`
      build.py            the pipeline driver: load, render, compile, check links -> OLX files
      render_pool.py      lessons rendered in worker processes; time_bound.py: the per-lesson time limit
      content.py          course_content/ -> the validated model (model.py); dates.py: UTC dates
      sources.py          sources.yaml: citations checked, the bibliography page
      course_schemas.py   the JSON Schemas of the course YAML (schema/*.json)
      compile/            one module per kind of component, then the OLX:
                          lessons.py (Markdown -> safe XHTML) quizzes.py walkthroughs.py
                          figures.py trackers.py objectives.py (a module's learning objectives)
                          olx.py (model + pages -> OLX files)
      caches/             var/build-cache/: build_cache.py (the folder) render_cache.py
                          check_cache.py (its entries) code_fingerprint.py (what an entry depends on)
      checks/             validate.py (`rpt-course validate`) olx_checks.py olxcleaner_check.py
      archive/            staging.py (build output spooled to disk) write.py (deterministic tar.gz);
                          untrusted.py + tar_header_guard.py + confined_folder.py (safe unpacking)
      preview/            the workbench preview (a Django app)
      review_sheet.py     docs/clinical-review.md: each lesson's sources and sign-offs
"""
