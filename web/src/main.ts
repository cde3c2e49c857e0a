import { mount } from 'svelte';
import App from './App.svelte';
import './lib/theme.css';
import './lib/analyst.css';
import './lib/wall.css';

mount(App, { target: document.getElementById('app')! });
