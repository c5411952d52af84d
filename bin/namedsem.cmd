@echo off
rem The namedsem command on Windows, run from this checkout; mirrors bin/namedsem.
rem Builds the jars on first use (mvnw.cmd -q -DskipTests package) and runs them with a JDK >= 22,
rem found like bin/find-jdk does: %JAVA_HOME%, then the java on the PATH, then the newest JDK >= 22
rem in the usual install folders.
setlocal EnableExtensions EnableDelayedExpansion
set "root=%~dp0.."
for %%r in ("%root%") do set "root=%%~fr"
set "required=22"
set "java_home="
set "best="

if defined JAVA_HOME call :consider "%JAVA_HOME%"
if not defined java_home (
  for /f "delims=" %%j in ('where java 2^>nul') do (
    if not defined java_home call :consider "%%~dpj.."
  )
)
if not defined java_home (
  set "best_version=0"
  for %%p in ("%ProgramFiles%\Java" "%ProgramFiles%\Eclipse Adoptium" "%ProgramFiles%\Microsoft" ^
              "%ProgramFiles%\Zulu" "%ProgramFiles%\Amazon Corretto" "%ProgramFiles%\BellSoft" ^
              "%ProgramFiles%\OpenJDK" "%USERPROFILE%\.jdks") do (
    if exist "%%~p\" for /d %%d in ("%%~p\*") do call :consider_best "%%~fd"
  )
  if defined best set "java_home=!best!"
)
if not defined java_home (
  echo namedsem: no JDK %required% or newer found: JAVA_HOME is not one, the java on the PATH is not one, 1>&2
  echo and none is in the usual install folders. Install one, e.g. winget install EclipseAdoptium.Temurin.25.JDK, 1>&2
  echo or set JAVA_HOME to a JDK %required%+. 1>&2
  exit /b 1
)

set "cli=%root%\cli\target\namedsem-cli.jar"
set "lib=%root%\cli\target\lib"
if not exist "%cli%" goto build
if not exist "%lib%\namedsem.jar" goto build
goto run

:build
if "%NAMEDSEM_NO_BUILD%"=="1" (
  echo namedsem: not built yet; run mvnw.cmd -DskipTests package in !root! 1>&2
  exit /b 1
)
echo namedsem: first run, building (mvnw.cmd -q -DskipTests package)... 1>&2
pushd "%root%"
set "JAVA_HOME=%java_home%"
call mvnw.cmd -q -DskipTests package 1>&2
set "build_status=%ERRORLEVEL%"
popd
if not "%build_status%"=="0" (
  echo namedsem: the build failed; see the output above 1>&2
  exit /b 1
)

:run
rem Delayed expansion would eat every ! in the arguments.
setlocal DisableDelayedExpansion
rem A command-line tool starts many short JVMs: C1 only and the serial collector start fastest.
rem The module path separator is ; on Windows.
"%java_home%\bin\java.exe" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ^
  --enable-native-access=io.github.namedsem ^
  --module-path "%cli%;%lib%" ^
  --module io.github.namedsem.cli/io.github.namedsem.cli.Main %*
exit /b %ERRORLEVEL%

rem Sets java_home to %1 if it is a JDK >= required.
:consider
call :feature_version "%~1"
if defined feature if !feature! GEQ %required% for %%h in ("%~1") do set "java_home=%%~fh"
exit /b 0

rem Keeps the newest JDK >= required in best / best_version.
:consider_best
call :feature_version "%~1"
if defined feature if !feature! GEQ %required% if !feature! GTR !best_version! (
  set "best=%~1"
  set "best_version=!feature!"
)
exit /b 0

rem Sets feature to the feature version ("25" of 25.0.1) of the JDK in %1, read from its release
rem file so that no JVM has to start; unset if %1 is not a JDK.
:feature_version
set "feature="
set "version="
if not exist "%~1\bin\java.exe" exit /b 0
if not exist "%~1\bin\javac.exe" exit /b 0
if not exist "%~1\release" exit /b 0
for /f "tokens=2 delims==" %%v in ('findstr /b "JAVA_VERSION=" "%~1\release"') do set "version=%%~v"
if not defined version exit /b 0
for /f "delims=." %%f in ("!version!") do set "feature=%%f"
rem JDK 8 and older say 1.8 and are too old anyway.
exit /b 0
