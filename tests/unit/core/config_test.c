/* Settings: defaults < config file < environment < flag, and invalid values named by setting. */
#include <stdlib.h>
#include <unistd.h>

#include "core/config.h"
#include "test.h"

static int source_of(const char *name)
{
    for (int i = 0; config_settings[i].name; i++)
        if (strcmp(config_settings[i].name, name) == 0)
            return i;
    return -1;
}

static void write_ini(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void clear_env(void)
{
    for (int i = 0; config_settings[i].name; i++)
        unsetenv(config_settings[i].env);
}

TEST(defaults)
{
    struct config cfg;
    clear_env();
    config_init(&cfg);
    CHECK_STR(cfg.data_dir, "./var");
    CHECK_STR(cfg.listen, "127.0.0.1:8080");
    CHECK_INT(cfg.threads, 4);
    CHECK(cfg.demo);
    CHECK_STR(cfg.source[source_of("threads")], "default");
    config_release(&cfg);
}

TEST(file_then_env_then_flag)
{
    char path[] = "/tmp/zhizhi-config-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_ini(path, "; comment\nthreads = 8\nlisten = 127.0.0.1:9000\n[zhizhi]\nbody_limit = "
                    "4096\n");
    struct config cfg;
    struct app_error err = {0};
    clear_env();
    config_init(&cfg);
    CHECK_INT(config_load_file(&cfg, path, &err), 0);
    CHECK_INT(cfg.threads, 8);
    CHECK_INT(cfg.body_limit, 4096);
    CHECK_STR(cfg.listen, "127.0.0.1:9000");
    CHECK_STR(cfg.source[source_of("threads")], "file");

    setenv("ZHIZHI_THREADS", "12", 1);
    CHECK_INT(config_load_env(&cfg, &err), 0);
    CHECK_INT(cfg.threads, 12);              /* env beats file */
    CHECK_STR(cfg.listen, "127.0.0.1:9000"); /* file value kept where env is silent */
    CHECK_STR(cfg.source[source_of("threads")], "env");

    CHECK_INT(config_set(&cfg, "threads", "16", "flag", &err), 0);
    CHECK_INT(cfg.threads, 16); /* flag beats env */
    CHECK_STR(cfg.source[source_of("threads")], "flag");
    unsetenv("ZHIZHI_THREADS");
    config_release(&cfg);
    unlink(path);
}

TEST(invalid_values_name_the_setting)
{
    struct config cfg;
    struct app_error err = {0};
    clear_env();
    config_init(&cfg);
    CHECK_INT(config_set(&cfg, "threads", "0", "flag", &err), -1);
    CHECK_STR(err.field, "threads");
    CHECK_STR(err.code_name, "invalid_setting");
    CHECK_INT(config_set(&cfg, "threads", "4x", "flag", &err), -1);
    CHECK_STR(err.field, "threads");
    CHECK_INT(config_set(&cfg, "listen", "bad", "flag", &err), -1);
    CHECK_STR(err.field, "listen");
    CHECK_INT(config_set(&cfg, "listen", "127.0.0.1:70000", "flag", &err), -1);
    CHECK_INT(config_set(&cfg, "demo", "maybe", "flag", &err), -1);
    CHECK_STR(err.field, "demo");
    CHECK_INT(config_set(&cfg, "log_level", "loud", "flag", &err), -1);
    CHECK_STR(err.field, "log_level");
    CHECK_INT(config_set(&cfg, "no_such_thing", "1", "flag", &err), -1);
    CHECK_STR(err.code_name, "unknown_setting");
    CHECK_INT(cfg.threads, 4); /* a refused value leaves the old one */
    config_release(&cfg);
}

TEST(invalid_env_names_the_variable)
{
    struct config cfg;
    struct app_error err = {0};
    clear_env();
    config_init(&cfg);
    setenv("ZHIZHI_LISTEN", "bad", 1);
    CHECK_INT(config_load_env(&cfg, &err), -1);
    CHECK_STR(err.field, "ZHIZHI_LISTEN");
    unsetenv("ZHIZHI_LISTEN");
    config_release(&cfg);
}

TEST(bad_config_file)
{
    char path[] = "/tmp/zhizhi-config-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    struct config cfg;
    struct app_error err = {0};
    clear_env();
    config_init(&cfg);
    write_ini(path, "colour = blue\n");
    CHECK_INT(config_load_file(&cfg, path, &err), -1);
    CHECK_STR(err.field, "colour");
    write_ini(path, "threads = 100000\n");
    CHECK_INT(config_load_file(&cfg, path, &err), -1);
    CHECK_STR(err.field, "threads");
    write_ini(path, "[other]\nthreads = 2\n");
    CHECK_INT(config_load_file(&cfg, path, &err), -1);
    CHECK_INT(config_load_file(&cfg, "/nonexistent/zhizhi.ini", &err), -1);
    CHECK_STR(err.field, "config");
    config_release(&cfg);
    unlink(path);
}

TEST_SUITE({"defaults", defaults}, {"file_then_env_then_flag", file_then_env_then_flag},
           {"invalid_values_name_the_setting", invalid_values_name_the_setting},
           {"invalid_env_names_the_variable", invalid_env_names_the_variable},
           {"bad_config_file", bad_config_file});
