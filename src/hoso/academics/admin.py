from django.contrib import admin

from hoso.academics.models import (
    Enrollment,
    SchoolClass,
    SchoolYear,
    Semester,
    Student,
    Subject,
    TeachingAssignment,
    TeachingGroup,
)


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]
    inlines = [SemesterInline]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "programme", "grade", "assessment", "periods_per_year"]
    list_filter = ["programme", "grade", "assessment"]
    search_fields = ["name", "code"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year", "grade", "homeroom_teacher"]
    list_filter = ["year", "grade", "school"]
    search_fields = ["name"]


@admin.register(TeachingGroup)
class TeachingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year", "school_class"]
    raw_id_fields = ["members"]


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):
    list_display = ["teacher", "subject", "group", "year", "school"]
    list_filter = ["year", "school"]


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["full_name", "national_id", "date_of_birth", "current_school"]
    search_fields = ["full_name", "national_id"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "school_class", "year", "status"]
    list_filter = ["year", "status"]
