/* The header alone, in an otherwise empty C file: it must compile cleanly with
 * gcc -std=c11 -Wall -Wextra -Werror -pedantic. */
#include "lottrack.h"
