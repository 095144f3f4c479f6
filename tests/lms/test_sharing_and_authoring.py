"""What the host park shares with partner schools (and what their groups may therefore take),
and per-course authors in the Wagtail admin: a teacher edits their course and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses import authoring, sharing
from courses.models import CourseAuthor, CourseShare, Enrolment, LessonProgress
from lms.models import School
from tests import builders

pytestmark = pytest.mark.django_db


def partner(prefix: str = "p") -> builders.SchoolScenario:
    return builders.build_school(prefix, pupils=1, kind=School.Kind.VISITING)


# --- What is shared ------------------------------------------------------------------------------


def test_host_park_may_take_everything(two_schools):
    scope = sharing.scope_for(two_schools.host.school)
    assert scope.everything
    tree = two_schools.tree
    assert scope.covers(tree.course.pk, None)
    assert scope.covers(tree.course.pk, tree.modules[1].pk)


def test_visiting_school_may_take_only_what_is_shared_with_it(two_schools):
    tree = two_schools.tree
    scope = sharing.scope_for(two_schools.visiting.school)
    assert not scope.everything
    assert scope.covers(tree.course.pk, tree.modules[0].pk)
    assert not scope.covers(tree.course.pk, tree.modules[1].pk)
    assert not scope.covers(tree.course.pk, None)  # not the whole course


def test_school_specific_and_all_partner_shares(two_schools):
    tree = two_schools.tree
    other_course = builders.build_course("electronics")
    other = partner()
    # The first module is shared with school "v" only: the other partner gets nothing.
    assert sharing.scope_for(other.school) == sharing.SharedScope()
    CourseShare.objects.create(course=other_course.course, school=None)  # all partners, whole
    for school in (other.school, two_schools.visiting.school):
        scope = sharing.scope_for(school)
        assert scope.covers(other_course.course.pk, None)
        assert scope.covers(other_course.course.pk, other_course.modules[1].pk)
    assert not sharing.scope_for(other.school).covers(tree.course.pk, tree.modules[0].pk)


def test_shared_catalogue_lists_only_shared_modules(two_schools):
    tree = two_schools.tree
    builders.build_course("not-shared")
    [item] = sharing.shared_catalogue(two_schools.visiting.school)
    assert item.course.pk == tree.course.pk
    assert not item.whole
    assert [m.pk for m in item.modules] == [tree.modules[0].pk]

    host_items = sharing.shared_catalogue(two_schools.host.school)
    assert len(host_items) == 2
    assert all(i.whole for i in host_items)
    assert sharing.shared_catalogue(partner().school) == []


def test_shared_page_shows_only_shared_modules(en, two_schools):
    tree = two_schools.tree
    en.force_login(two_schools.visiting.teacher_b)
    html = en.get(reverse("teach:shared")).content.decode()
    assert tree.modules[0].title in html
    assert tree.modules[1].title not in html
    assert "Whole course" not in html


# --- Enrolling from the shared catalogue ---------------------------------------------------------


def shared_enrol(client, group, course, module=None, **kwargs):
    data = {"group": group.pk, "course": course.pk}
    if module is not None:
        data["module"] = module.pk
    return client.post(reverse("teach:shared_enrol"), data, **kwargs)


def test_visiting_teacher_enrols_a_group_in_a_shared_module(en, two_schools):
    tree, visiting = two_schools.tree, two_schools.visiting
    en.force_login(visiting.teacher_b)
    response = shared_enrol(en, visiting.group_b, tree.course, tree.modules[0], follow=True)
    assert response.redirect_chain[-1][0] == reverse("teach:shared")
    assert response.status_code == 200
    assert f"v-2 is enrolled in {tree.modules[0].title}." in response.content.decode()
    enrolment = Enrolment.objects.get(group=visiting.group_b)
    assert enrolment.module == tree.modules[0]
    assert enrolment.created_by == visiting.teacher_b

    en.force_login(visiting.pupils_b[0])
    for lesson in tree.lessons_of(tree.modules[0]):
        assert en.get(lesson.url).status_code == 200
    for lesson in tree.lessons_of(tree.modules[1]):
        locked = en.get(lesson.url)
        assert locked.status_code == 403
        assert "Собираем" not in locked.content.decode()  # the lesson body is not shown


@pytest.mark.parametrize("target", ["unshared module", "whole course"])
def test_enrolling_in_what_is_not_shared_is_404(client, two_schools, target):
    tree, visiting = two_schools.tree, two_schools.visiting
    client.force_login(visiting.teacher_b)
    module = tree.modules[1] if target == "unshared module" else None
    assert shared_enrol(client, visiting.group_b, tree.course, module).status_code == 404
    url = reverse("teach:enrol", args=[visiting.group_b.pk])
    data = {"course": tree.course.pk} | ({"module": module.pk} if module else {})
    assert client.post(url, data).status_code == 404
    assert not Enrolment.objects.filter(group=visiting.group_b).exists()


def test_enrolling_another_schools_group_is_404(client, two_schools):
    tree, visiting, host = two_schools.tree, two_schools.visiting, two_schools.host
    enrolments = Enrolment.objects.count()
    client.force_login(visiting.teacher_b)
    assert shared_enrol(client, host.group_b, tree.course, tree.modules[0]).status_code == 404
    client.force_login(host.teacher_b)
    assert shared_enrol(client, visiting.group_b, tree.course, tree.modules[0]).status_code == 404
    assert Enrolment.objects.count() == enrolments


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"group": "x"},
        {"group": "999999", "course": "1"},
        {"group": "GROUP", "course": "abc"},
        {"group": "GROUP", "course": "999999"},
        {"group": "GROUP", "course": "COURSE", "module": "999999"},
        {"group": "GROUP", "course": "COURSE", "module": "OTHER_COURSE_MODULE"},
    ],
)
def test_forged_enrol_posts_are_404(client, two_schools, data):
    tree, visiting = two_schools.tree, two_schools.visiting
    other = builders.build_course("other")
    CourseShare.objects.create(course=other.course, school=visiting.school)
    values = {
        "GROUP": str(visiting.group_b.pk),
        "COURSE": str(tree.course.pk),
        "OTHER_COURSE_MODULE": str(other.modules[0].pk),
    }
    client.force_login(visiting.teacher_b)
    enrolments = Enrolment.objects.count()
    post = {key: values.get(value, value) for key, value in data.items()}
    assert client.post(reverse("teach:shared_enrol"), post).status_code == 404
    assert Enrolment.objects.count() == enrolments


def test_withdrawing_a_share_switches_the_enrolment_off_and_keeps_progress(client, two_schools):
    tree, visiting = two_schools.tree, two_schools.visiting
    pupil = visiting.pupils_a[0]
    client.force_login(pupil)
    lesson = tree.lessons_of(tree.modules[0])[0]
    assert client.get(lesson.url).status_code == 200  # records the opening
    assert LessonProgress.objects.filter(user=pupil).count() == 1
    host_enrolment = Enrolment.objects.get(group=two_schools.host.group_a)

    CourseShare.objects.get(school=visiting.school).delete()

    enrolment = Enrolment.objects.get(group=visiting.group_a)
    assert not enrolment.is_active
    assert LessonProgress.objects.filter(user=pupil).count() == 1
    host_enrolment.refresh_from_db()
    assert host_enrolment.is_active  # the host park's own enrolments are never touched
    assert client.get(lesson.url).status_code == 403


def test_an_all_partner_share_keeps_the_enrolment_when_the_specific_one_goes(two_schools):
    tree, visiting = two_schools.tree, two_schools.visiting
    CourseShare.objects.create(course=tree.course, module=tree.modules[0], school=None)
    CourseShare.objects.get(school=visiting.school).delete()
    assert Enrolment.objects.get(group=visiting.group_a).is_active


def test_course_share_clean_refuses_another_courses_module_and_a_host_school(two_schools):
    tree = two_schools.tree
    other = builders.build_course("other")
    share = CourseShare(course=tree.course, module=other.modules[0], school=None)
    with pytest.raises(ValidationError) as error:
        share.clean()
    assert "module" in error.value.message_dict
    share = CourseShare(course=tree.course, school=two_schools.host.school)
    with pytest.raises(ValidationError) as error:
        share.clean()
    assert "school" in error.value.message_dict
    CourseShare(course=tree.course, module=tree.modules[1], school=None).clean()  # fine


# --- Course authors in the Wagtail admin ---------------------------------------------------------


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_a_course_author_edits_that_course_and_nothing_else(client, two_schools):
    tree, teacher = two_schools.tree, two_schools.host.teacher_a
    other = builders.build_course("other")
    client.force_login(teacher)
    assert client.get(edit_url(tree.course)).status_code == 302  # no admin access at all

    authoring.add_author(tree.course, teacher, by=two_schools.methodologist)
    assert CourseAuthor.objects.filter(course=tree.course, user=teacher).exists()
    assert client.get(edit_url(tree.course)).status_code == 200
    assert client.get(edit_url(tree.lessons[-1])).status_code == 200
    assert client.get(edit_url(tree.modules[1])).status_code == 200
    for page in (other.course, other.lessons[0]):
        response = client.get(edit_url(page))
        assert response.status_code in (302, 403), response.status_code
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home")
    # Publishing another course through a forged POST is refused too.
    response = client.post(edit_url(other.lessons[0]), {"title": "Взлом", "slug": "l1"})
    assert response.status_code in (302, 403)
    other.lessons[0].refresh_from_db()
    assert other.lessons[0].title != "Взлом"

    authoring.remove_author(tree.course, teacher)
    assert not CourseAuthor.objects.filter(user=teacher).exists()
    assert client.get(edit_url(tree.course)).status_code != 200
    assert client.get(edit_url(tree.lessons[0])).status_code != 200


def test_adding_an_author_twice_is_harmless(two_schools):
    tree, teacher = two_schools.tree, two_schools.host.teacher_a
    authoring.add_author(tree.course, teacher)
    authoring.add_author(tree.course, teacher)
    group = authoring.authors_group(tree.course)
    assert list(group.user_set.all()) == [teacher]
    assert CourseAuthor.objects.filter(course=tree.course).count() == 1


def test_deleting_an_author_row_removes_the_rights(client, two_schools):
    # The admin's delete view deletes the row; the signal syncs the group.
    tree, teacher = two_schools.tree, two_schools.host.teacher_a
    authoring.add_author(tree.course, teacher)
    CourseAuthor.objects.get(user=teacher).delete()
    assert not authoring.authors_group(tree.course).user_set.exists()
    client.force_login(teacher)
    assert client.get(edit_url(tree.course)).status_code != 200


def test_course_author_clean_refuses_a_pupil(two_schools):
    author = CourseAuthor(course=two_schools.tree.course, user=two_schools.host.pupils_a[0])
    with pytest.raises(ValidationError):
        author.clean()


@pytest.mark.parametrize("viewset", ["course-shares", "course-authors"])
def test_share_and_author_screens_are_for_methodologists(client, two_schools, viewset):
    index = reverse(f"{viewset}:index")
    add = reverse(f"{viewset}:add")
    client.force_login(two_schools.methodologist)
    assert client.get(index).status_code == 200
    assert client.get(add).status_code == 200

    # A teacher who may open the admin as a course author still may not see these screens.
    teacher = two_schools.host.teacher_a
    authoring.add_author(two_schools.tree.course, teacher)
    client.force_login(teacher)
    for url in (index, add):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
    for user in (two_schools.host.admin, two_schools.visiting.teacher_a):
        client.force_login(user)
        assert client.get(index).status_code in (302, 403)


def test_methodologist_shares_a_module_through_the_admin_screen(client, two_schools):
    tree, other = two_schools.tree, partner()
    client.force_login(two_schools.methodologist)
    response = client.post(
        reverse("course-shares:add"),
        {"course": tree.course.pk, "module": tree.modules[1].pk, "school": other.school.pk},
    )
    assert response.status_code == 302
    assert sharing.scope_for(other.school).covers(tree.course.pk, tree.modules[1].pk)
    # A host park is not offered (nor accepted): its groups take every course already.
    response = client.post(
        reverse("course-shares:add"),
        {"course": tree.course.pk, "school": two_schools.host.school.pk},
    )
    assert response.status_code == 200
    assert not CourseShare.objects.filter(school=two_schools.host.school).exists()
