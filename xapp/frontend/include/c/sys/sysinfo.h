/* xapp hermetic stub header: declarations for parsing only. */
#ifndef XAPP_SYS_SYSINFO_H
#define XAPP_SYS_SYSINFO_H
struct sysinfo { long uptime; unsigned long loads[3]; unsigned long totalram; unsigned long freeram;
                 unsigned long sharedram; unsigned long bufferram; unsigned long totalswap; unsigned long freeswap;
                 unsigned short procs; unsigned short pad; unsigned long totalhigh; unsigned long freehigh;
                 unsigned int mem_unit; };
#ifdef __cplusplus
extern "C" {
#endif
int sysinfo(struct sysinfo *);
int get_nprocs(void);
int get_nprocs_conf(void);
long get_phys_pages(void);
long get_avphys_pages(void);
#ifdef __cplusplus
}
#endif
#endif
