" Headless test of editors/vim (run by tests/editors/run_vim.sh):
"   vim -Nu NONE -es -S tests/editors/test_minutes.vim
" from the source tree, with $MINUTES_TEST_SEARCH (the program),
" $MINUTES_TEST_DB (an index of corpus/) and $MINUTES_TEST_OUT (where the
" failures are written). Exits non-zero when an assertion failed.
set nocompatible
let &runtimepath = getcwd() . '/editors/vim,' . &runtimepath
runtime plugin/minutes.vim
let g:minutes_program = $MINUTES_TEST_SEARCH
let g:minutes_db = $MINUTES_TEST_DB
let g:minutes_no_copen = 1

function! s:json(query) abort
  let l:out = system(shellescape($MINUTES_TEST_SEARCH) . ' --db ' . shellescape($MINUTES_TEST_DB)
        \ . ' --format json --limit 100 -- ' . shellescape(a:query))
  return json_decode(l:out)
endfunction

" The quickfix list holds exactly the hits of query, in order, at their
" first match.
function! s:check_against_json(query) abort
  let l:want = s:json(a:query).hits
  let l:got = getqflist()
  call assert_equal(len(l:want), len(l:got), 'hits of ' . a:query)
  let l:i = 0
  for l:hit in l:want
    if l:i >= len(l:got)
      break
    endif
    call assert_equal(l:hit.path, bufname(l:got[l:i].bufnr), a:query . ' path ' . l:i)
    call assert_equal(l:hit.match_line, l:got[l:i].lnum, a:query . ' line ' . l:i)
    call assert_equal(l:hit.match_column, l:got[l:i].col, a:query . ' column ' . l:i)
    call assert_equal(l:hit.snippet, l:got[l:i].text, a:query . ' text ' . l:i)
    let l:i += 1
  endfor
  return l:want
endfunction

" :Minutes with a phrase: the hits of the searcher, in its order, at the
" first match (the phrase also matches under the heading "Migration Support").
Minutes "migration support"
call s:check_against_json('"migration support"')
let s:qf = getqflist()
let s:at = -1
for s:i in range(len(s:qf))
  if s:qf[s:i].lnum == 139
    let s:at = s:i
  endif
endfor
call assert_true(s:at >= 0, 'no hit on line 139')
call assert_equal('corpus/000_ef34be2ffa71a066.txt', bufname(s:qf[s:at].bufnr))
call assert_equal(7, s:qf[s:at].col)
call assert_equal('Migration Support', s:qf[s:at].text)
call assert_equal('Minutes "migration support"', getqflist({'title': 1}).title)
" The entry opens the file at the line and column.
execute 'cc' (s:at + 1)
call assert_equal('corpus/000_ef34be2ffa71a066.txt', bufname('%'))
call assert_equal(139, line('.'))
call assert_equal(7, col('.'))
call assert_match('Migration Support', getline('.'))

" Several hits, in the searcher's order.
Minutes migration
call assert_true(len(getqflist()) >= 3)
call s:check_against_json('migration')

" A field with a value of several words.
MinutesSpeaker Leonardo Garcia
call assert_true(len(s:check_against_json('speaker:"Leonardo Garcia"')) > 0)
MinutesTopic Xen update
call assert_true(len(getqflist()) > 0)
call s:check_against_json('topic:"Xen update"')

" No hits: an empty list.
call assert_equal(0, minutes#search('nosuchwordanywhere'))
call assert_equal([], getqflist())
" A bad query: an error, the list left alone.
Minutes migration
let s:before = len(getqflist())
call assert_equal(-1, minutes#search('speker:jan'))
call assert_equal(s:before, len(getqflist()))
call assert_match("unknown field 'speker'", execute('messages'))

" Completion from the index.
call assert_equal(['Leonardo Garcia'], minutes#complete_speaker('Leo', 'MinutesSpeaker Leo', 18))
call assert_equal(['Leonardo Garcia'], minutes#complete_speaker('leo', 'MinutesSpeaker leo', 18))
call assert_equal(['Leonardo Garcia'], getcompletion('MinutesSpeaker Leo', 'cmdline'))
" Names of several words: the words already typed are not repeated.
call assert_equal(['update'], getcompletion('MinutesTopic Xen up', 'cmdline'))
call assert_equal(['Garcia'], getcompletion('MinutesSpeaker Leonardo G', 'cmdline'))
call assert_equal(['speaker:', 'series:'], minutes#complete_query('s', '', 0))
call assert_equal(['speaker:"Leonardo Garcia"'], minutes#complete_query('speaker:Leo', '', 0))
call assert_equal(['-org:Citrix'], minutes#complete_query('-org:Cit', '', 0))
call assert_equal(['kind:action'], minutes#complete_query('kind:a', '', 0))
call assert_equal(['by:"Leonardo Garcia"'], getcompletion('Minutes xen by:Leo', 'cmdline'))
call assert_equal('speaker:Martin', minutes#filter('speaker', 'Martin'))
call assert_equal('topic:"Release Cadence"', minutes#filter('topic', 'Release Cadence'))

call writefile(v:errors, $MINUTES_TEST_OUT)
if empty(v:errors)
  qall!
endif
cquit!
