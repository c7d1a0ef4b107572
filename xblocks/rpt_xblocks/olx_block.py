"""What our blocks share about their OLX: reading it into fields, writing it back, and the Studio
editor that edits the same element (settings as controls, content as OLX children).

Contract: a block using `OlxBlockMixin` defines
- `OLX_TAG`, `STUDIO_PREFIX` (prefix of the editor's control ids), `STUDIO_SETTINGS` (field names
  shown as controls, also the element's attributes),
  `STUDIO_CONTENT_LABEL` and `STUDIO_NOT_SAVED` (learner-independent messages, translated at run time);
- `fields_from_olx(element)` (a staticmethod): `(fields, problems)`, the fields to set or every
  reason (author-facing text) the element cannot become the block;
- `olx_element()`: the block's whole element (settings as attributes, content as children);
- `studio_saved()`: the reply after a save, beside `"saved": True`.
The mixin gives `parse_xml` (raises ValueError naming every problem; a document with a DOCTYPE or
entity declarations is refused, whatever the runtime's parser expanded), `add_xml_to_node`,
`studio_view` and `studio_submit`, which saves all fields or none (400 listing every problem), and
only for a user who may edit the block (`may_edit()`; anyone else gets 403 and nothing changes).

Who may edit (`may_edit`): the blocks' `is_staff()` (LearnerBlockMixin: the user service's
`edx-platform.user_is_staff`, else the runtime's `user_is_staff`), or, where the runtime offers it,
the `studio_user_permissions` service's `can_write(course key)`. The block must declare
`@XBlock.wants("user", "studio_user_permissions")`. Why both, from edx-platform's code:
- The LMS builds `DjangoXBlockUserService(user, user_is_staff=<has staff access to the course>, ...)`:
  `edx-platform.user_is_staff` is the course-staff flag there.
- Studio's `component_handler` (cms/djangoapps/contentstore/views/component.py), which runs a block's
  handlers such as `studio_submit`, is only `@login_required`; it calls `load_services_for_studio`,
  which builds `DjangoXBlockUserService(user)` without `user_is_staff` (so the flag is False for every
  author) and `StudioPermissionsService(user)`, whose `can_write(course_key)` is
  `has_studio_write_access`. The unit preview (contentstore/views/preview.py) likewise passes no
  `user_is_staff`. In Studio the write permission, not the staff flag, says who may edit.
- Our preview (rpt_course/preview/users.py) sets `edx-platform.user_is_staff` for `?student=staff`
  only; every other `?student=` is a learner and is refused.
"""
from __future__ import annotations

from lxml import etree
from web_fragments.fragment import Fragment

from rpt_xblocks import studio_form
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.translation import translated_by


class OlxBlockMixin:
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):  # pylint: disable=unused-argument
        docinfo = node.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise ValueError(f"<{cls.OLX_TAG}>: a DOCTYPE or entity declaration is not allowed in the OLX — remove it")
        block = runtime.construct_xblock_from_class(cls, keys)
        fields, problems = cls.fields_from_olx(node)
        if problems:
            raise ValueError("; ".join(problems))
        for name, value in fields.items():
            setattr(block, name, value)
        return block

    def add_xml_to_node(self, node):
        element = self.olx_element()
        node.tag = element.tag
        for name, value in element.attrib.items():
            node.set(name, value)
        for child in element:
            node.append(child)

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        content = "\n".join(etree.tostring(child, encoding="unicode", pretty_print=True)
                            for child in self.olx_element())
        fragment = Fragment(studio_form.studio_form(self, self.STUDIO_SETTINGS, self.STUDIO_CONTENT_LABEL, content,
                                                    self.STUDIO_PREFIX))
        fragment.add_javascript(studio_form.JAVASCRIPT)
        fragment.initialize_js("RptStudioForm")
        return fragment

    def may_edit(self) -> bool:
        """Whether the current user may save this block's settings and content (see the module)."""
        if self.is_staff():
            return True
        permissions = self.runtime.service(self, "studio_user_permissions")
        course_key = getattr(self.scope_ids.usage_id, "course_key", None)
        return bool(permissions is not None and course_key is not None and permissions.can_write(course_key))

    @json_handler(max_bytes=studio_form.MAX_SUBMISSION_BYTES)
    def studio_submit(self, data):
        if not self.may_edit():
            raise HandlerError(403, self.ugettext("Only the course's authors and staff can change this."))
        with translated_by(self.ugettext):
            root, problems = studio_form.element_from_submission(self.OLX_TAG, data, self.STUDIO_SETTINGS)
            if root is not None:
                fields, problems = self.fields_from_olx(root)
        if problems:
            raise HandlerError(400, self.ugettext(self.STUDIO_NOT_SAVED), problems=problems)
        for name, value in fields.items():
            setattr(self, name, value)
        return {"saved": True, **self.studio_saved()}
