"""Generate a valid course_content/ folder of any size for the build and validate benchmarks.

Contract: `generate_course(dest, units)` writes under `dest` a content folder that `rpt-course build`
accepts, with exactly `units` units, and returns its `Shape` (modules, sections, units, components).
The layout: modules of up to 10 sections of up to 10 units; every unit holds one Markdown lesson
(about 2 KB: headings, lists, a table, math, a footnote, an admonition, a link to the previous unit,
an image from static/); every module also carries one copy of the fixture course's quiz and one of
its walkthrough (tests/fixtures/courses/good), in a graded "Knowledge check" section, so the mix of
components stays the same at every size. The same `units` always gives the same files.

    python -m benchmarks.generate_course 1000 /tmp/course-1000
"""
from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "courses" / "good"
UNITS_PER_SECTION = 10
SECTIONS_PER_MODULE = 10
UNITS_PER_MODULE = UNITS_PER_SECTION * SECTIONS_PER_MODULE


@dataclass(frozen=True)
class Shape:
    modules: int
    sections: int
    units: int
    lessons: int
    quizzes: int
    walkthroughs: int


_TOPICS = ["decay", "dosimetry", "shielding", "release", "written directives", "survey meters",
           "dose calibrators", "spill response", "waste storage", "patient instructions"]
_NUCLIDES = [("Lu-177", "6.647 d"), ("I-131", "8.0252 d"), ("Ra-223", "11.43 d"), ("Y-90", "64.05 h"),
             ("Tc-99m", "6.0072 h"), ("Sm-153", "46.50 h")]
# Prose is drawn word by word from this vocabulary (the commonest words of the shipped lessons), so
# that it compresses about as well as real lesson text (3-4x with gzip), not like repeated sentences.
_WORDS = """the and for dose with that not from radiation are your dosage patient under this release written
before activity its decay agreement information experience half training may label about prescribing
administration directive course who which own use than rate rules each what states one alpha table
absorbed therapy after above text medical hours time sources life form work safety part unit patients
has beta section program per instructions range where particles iodide have their supervised material
survey sodium must licensee energy used publication license source preceptor pathway note exposure does
times other value state more gives category any limits lead factor effective when photons also within
two example day same record only how every doses these them parenteral released regulatory given check
cases below attestation such rule protection physics oral measurement guide least equivalent cannot
years they surveys see nuclear needs into default can board weeks uses treatment therapeutic prescribed
measured mean categories beam administered warning module tissue regulator radionuclide kidney items
classroom biological bed wording total topics three radioactive here external date calibration been
authorized against required outside number meter guidance confirmed alternate through specific route
records radiopharmaceutical radiobiology certification unsealed then room medicine first electrons detail
days constant clinical thyroid staff site procedures organ limit event current both apply toxicity those
set risk requiring requires requirements physician need laboratory falls dosimetry calculation bone
without why radioactivity quality precautions points name kept dosages byproduct whose waste values
unless public plan physical next later instrument individual forms follow feeding emergency embryo
effects effect drug dosing different constants checks cells cancer breast basis application""".split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "\n".join(_sentence(rng) for _ in range(sentences))


def _lesson(rng: random.Random, number: int, unit_id: str, previous: str | None) -> str:
    topic = rng.choice(_TOPICS)
    nuclide, half_life = rng.choice(_NUCLIDES)
    activity = round(rng.uniform(0.5, 12.0), 2)
    rows = "\n".join(f"| {n} | {h} | {round(rng.uniform(0.1, 9.9), 2)} GBq |" for n, h in rng.sample(_NUCLIDES, 3))
    paragraphs = [_paragraph(rng, 4) for _ in range(3)]
    see = f"Before this, see [the previous unit](/jump_to_id/{previous}).\n\n" if previous else ""
    return f"""## Lesson {number}: {topic}

{see}This unit ({unit_id}) works through **{topic}** for {nuclide} (half-life {half_life}) at an
administered activity of {activity} GBq.[^src]

{paragraphs[0]}

- Check the identity of the patient and the dosage.
- Record the assayed activity, {activity} GBq, and the time of assay.
- Compare the result with the written directive.

| nuclide | half-life | typical dosage |
|:--|--:|--:|
{rows}

The activity after a time \\(t\\) is \\(A = A_0 e^{{-\\lambda t}}\\), with

$$
\\lambda = \\frac{{\\ln 2}}{{T_{{1/2}}}}
$$

{paragraphs[1]}

!!! note "Remember"
    {paragraphs[2].replace(chr(10), " ")}

![A small test figure showing unit {number}](/static/figure.svg)

[^src]: Test source, unit {number}.
"""


def _course_yaml(module_ids: list[str]) -> str:
    text = (FIXTURE / "course.yaml").read_text("utf-8")
    head, _modules, tail = text.partition("modules:\n  - intro\n")
    if not _modules:
        raise RuntimeError(f"{FIXTURE / 'course.yaml'} no longer lists `modules: [intro]` — update the generator")
    listed = "".join(f"  - {m}\n" for m in module_ids)
    return head.replace("title: Test course", "title: Generated benchmark course") + "modules:\n" + listed + tail


def _module(index: int, first_unit: int, count: int, module_dir: Path) -> tuple[str, int, int]:
    """Write one module of `count` units (numbered from `first_unit`); return its yaml, sections, lessons."""
    rng = random.Random(index)
    module_id = f"m{index:03d}"
    (module_dir / "lessons").mkdir(parents=True)
    (module_dir / "quizzes").mkdir()
    (module_dir / "walkthroughs").mkdir()
    quiz = (FIXTURE / "intro" / "quizzes" / "check.yaml").read_text("utf-8")
    first_unit_id = f"u{first_unit:05d}"
    (module_dir / "quizzes" / "check.yaml").write_text(quiz.replace("teaches: decay", f"teaches: {first_unit_id}"), "utf-8")
    shutil.copyfile(FIXTURE / "intro" / "walkthroughs" / "decay.yaml", module_dir / "walkthroughs" / "decay.yaml")
    if index == 1:
        (module_dir / "figures").mkdir()
        shutil.copyfile(FIXTURE / "intro" / "figures" / "lu177-decay.yaml", module_dir / "figures" / "lu177-decay.yaml")

    lines = [f"id: {module_id}", f"title: Generated module {index}", "objectives:",
             *(f"  - {verb} the {topic} of generated module {index}" for verb, topic in
               (("Explain", "decay law"), ("Calculate", "dosages"), ("Apply", "release rules"))),
             "sections:"]
    numbers = list(range(first_unit, first_unit + count))
    sections = [numbers[i:i + UNITS_PER_SECTION] for i in range(0, len(numbers), UNITS_PER_SECTION)]
    for s_index, section in enumerate(sections, start=1):
        lines += [f"  - id: {module_id}_s{s_index:02d}", f"    title: Section {s_index} of module {index}"]
        if s_index == len(sections):  # the module's quiz and walkthrough sit in its last, graded section
            lines += ["    format: Knowledge check"]
        lines += ["    units:"]
        for u_index, number in enumerate(section):
            unit_id = f"u{number:05d}"
            previous = f"u{number - 1:05d}" if number > 1 else None
            (module_dir / "lessons" / f"{unit_id}.md").write_text(_lesson(rng, number, unit_id, previous), "utf-8")
            lines += [f"      - id: {unit_id}", f"        title: Unit {number}", "        components:",
                      f"          - id: {unit_id}_text", "            kind: lesson", f"            file: lessons/{unit_id}.md"]
            if s_index == len(sections) and u_index == 0:
                lines += [f"          - id: {module_id}_quiz", "            kind: quiz", "            file: quizzes/check.yaml"]
            if s_index == len(sections) and u_index == len(section) - 1:
                lines += [f"          - id: {module_id}_walkthrough", "            kind: walkthrough",
                          "            file: walkthroughs/decay.yaml"]
    return "\n".join(lines) + "\n", len(sections), count


def generate_course(dest: Path, units: int) -> Shape:
    """Write a content folder of `units` units under `dest` (which must not exist or be empty)."""
    if units < 1:
        raise ValueError("a course needs at least one unit")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty — give the generator a new folder")
    for name in ("sources.yaml", "static", "about", "info"):
        source = FIXTURE / name
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, dest / name)
    module_ids, sections, lessons = [], 0, 0
    for index, first in enumerate(range(1, units + 1, UNITS_PER_MODULE), start=1):
        module_dir = dest / f"m{index:03d}"
        text, module_sections, module_lessons = _module(index, first, min(UNITS_PER_MODULE, units - first + 1), module_dir)
        (module_dir / "module.yaml").write_text(text, "utf-8")
        module_ids.append(f"m{index:03d}")
        sections += module_sections
        lessons += module_lessons
    (dest / "course.yaml").write_text(_course_yaml(module_ids), "utf-8")
    modules = len(module_ids)
    return Shape(modules=modules, sections=sections, units=units, lessons=lessons, quizzes=modules, walkthroughs=modules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("units", type=int)
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    print(generate_course(args.dest, args.units))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
