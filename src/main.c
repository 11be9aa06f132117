/* zhizhi: the grassroots smart-governance platform of Yuzhong district, as one binary.
 * main only hands argv to the command line (src/cli/), which loads settings, opens the
 * database, starts the server and waits for signals. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
