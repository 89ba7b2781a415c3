" minutes.vim: the functions behind :Minutes, :MinutesSpeaker and
" :MinutesTopic. The searcher prints `path:line:column:snippet` lines
" (--format vimgrep), which become the quickfix list.

" The command line for minutes-search with args (a list), shell-escaped.
function! s:command(args) abort
  let l:cmd = [get(g:, 'minutes_program', 'minutes-search')]
  if !empty(get(g:, 'minutes_db', ''))
    call extend(l:cmd, ['--db', g:minutes_db])
  endif
  call extend(l:cmd, a:args)
  return join(map(l:cmd, 'shellescape(v:val)'), ' ')
endfunction

" Runs minutes-search with args; returns [exit status, stdout lines,
" stderr text]. stderr goes to a file so that it never mixes with hits.
function! s:run(args) abort
  let l:errfile = tempname()
  let l:lines = systemlist(s:command(a:args) . ' 2>' . shellescape(l:errfile))
  let l:status = v:shell_error
  let l:err = filereadable(l:errfile) ? join(readfile(l:errfile), "\n") : ''
  call delete(l:errfile)
  return [l:status, l:lines, l:err]
endfunction

" The query filter for field with value: quoted when it has several words.
function! minutes#filter(field, value) abort
  let l:v = substitute(a:value, '"', ' ', 'g')
  if l:v =~# '^[[:alnum:]._-]\+$'
    return a:field . ':' . l:v
  endif
  return a:field . ':"' . l:v . '"'
endfunction

" Searches query and fills the quickfix list with the hits (opened when
" there are some). Returns the number of hits, or -1 on error.
function! minutes#search(query) abort
  let l:limit = string(get(g:, 'minutes_limit', 100))
  let [l:status, l:lines, l:err] = s:run(['--format', 'vimgrep', '--limit', l:limit,
        \ '--color', 'never', '--', a:query])
  if l:status == 2
    echohl ErrorMsg
    echomsg empty(l:err) ? 'minutes-search failed' : l:err
    echohl None
    return -1
  endif
  call setqflist([], ' ', {'lines': l:lines, 'efm': '%f:%l:%c:%m',
        \ 'title': 'Minutes ' . a:query})
  if empty(l:lines)
    echomsg 'minutes: no hits for ' . a:query
    return 0
  endif
  if !get(g:, 'minutes_no_copen', 0)
    copen
  endif
  return len(l:lines)
endfunction

" The values of a --list kind starting with lead (case-insensitively).
function! minutes#values(kind, lead) abort
  let [l:status, l:lines, l:err] = s:run(['--list', a:kind])
  if l:status == 2
    return []
  endif
  let l:lead = tolower(a:lead)
  return filter(l:lines, 'stridx(tolower(v:val), l:lead) == 0')
endfunction

" Completes a name of several words (the command's whole argument): Vim
" replaces only the last word, so the words typed before it are left out.
function! s:complete_name(kind, lead, line, pos) abort
  let l:typed = matchstr(strpart(a:line, 0, a:pos), '^\s*\S\+\s\+\zs.*')
  let l:before = strpart(l:typed, 0, len(l:typed) - len(a:lead))
  return map(minutes#values(a:kind, l:typed), 'strpart(v:val, len(l:before))')
endfunction

function! minutes#complete_speaker(lead, line, pos) abort
  return s:complete_name('speakers', a:lead, a:line, a:pos)
endfunction

function! minutes#complete_topic(lead, line, pos) abort
  return s:complete_name('topics', a:lead, a:line, a:pos)
endfunction

let s:fields = ['speaker:', 'by:', 'attendee:', 'topic:', 'title:', 'series:',
      \ 'project:', 'org:', 'kind:', 'owner:', 'path:', 'date:', 'after:', 'before:']
let s:lists = {'speaker': 'speakers', 'by': 'speakers', 'attendee': 'speakers',
      \ 'owner': 'speakers', 'series': 'series', 'project': 'series', 'topic': 'topics',
      \ 'org': 'orgs'}

" :Minutes completes field names, then a field's values from the index.
function! minutes#complete_query(lead, line, pos) abort
  let l:m = matchlist(a:lead, '^\(-\?\)\([[:alpha:]]\+\):"\?\(.*\)$')
  if empty(l:m)
    return filter(copy(s:fields), 'stridx(v:val, tolower(a:lead)) == 0')
  endif
  let l:field = tolower(l:m[2])
  if l:field ==# 'kind'
    let l:values = filter(['utterance', 'reported', 'action', 'decision', 'note'],
          \ 'stridx(v:val, tolower(l:m[3])) == 0')
  elseif has_key(s:lists, l:field)
    let l:values = minutes#values(s:lists[l:field], l:m[3])
  else
    return []
  endif
  return map(l:values, 'l:m[1] . minutes#filter(l:m[2], v:val)')
endfunction
