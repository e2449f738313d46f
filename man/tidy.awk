# Removes the paragraph macros that scdoc 1.11 emits where roff ignores them, which `mandoc -Tlint -Wwarning`
# reports ("skipping paragraph macro"): a .P right after .TH/.SH/.SS, right before a heading or another .P, and
# the .P that closes an indented block just before its .RE, which is moved after the .RE so the vertical space
# between definition-list entries stays. The rendered page is otherwise unchanged.
{ lines[NR] = $0 }

function heading(line) { return line ~ /^\.(TH|SH|SS)( |$)/ }
function paragraph(line) { return line ~ /^\.(P|PP)$/ }

END {
    previous = ""
    for (i = 1; i <= NR; i++) {
        line = lines[i]
        if (line == ".P" && lines[i + 1] == ".RE") {
            # Swap: close the block first, then start the paragraph (unless a heading follows anyway).
            print ".RE"
            previous = ".RE"
            i++
            if (i + 1 <= NR && !heading(lines[i + 1]) && !paragraph(lines[i + 1])) {
                print ".P"
                previous = ".P"
            }
            continue
        }
        following = (i < NR) ? lines[i + 1] : ".SH"
        if (paragraph(line) && (heading(previous) || paragraph(previous) || heading(following) || paragraph(following)))
            continue
        print line
        previous = line
    }
}
