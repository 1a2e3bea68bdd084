from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongyun.core"
    verbose_name = "核心"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from tongyun.core import menu, permissions
        from tongyun.parties.choices import Role

        permissions.register_capabilities({
            # The district overview (figures of every unit): the bureau, the supervisor and the PM.
            "core.overview": frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.SUPERVISOR,
                                        Role.PROJECT_MANAGER}),
        })
        menu.register(menu.MenuItem(_("区级总览"), "overview", group=menu.OPERATIONS,
                                    visible=lambda user: permissions.can(user, "core.overview")))
